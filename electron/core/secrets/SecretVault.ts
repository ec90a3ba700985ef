import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { HearthError } from "../../shared/errors";
import type { SecretStorage } from "../../shared/contract";
import { writePrivateFileSync } from "../privateFiles";

/** Electron's safeStorage, or anything with its shape: encrypts with a key the OS keeps for this user. */
export interface SecretCipher {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

/** The OS keychain (the login keychain, Credential Manager, the Secret Service), or null where there is none. */
export interface Keychain {
  get(name: string): string | null;
  /** Throws where no keychain can be written (no Secret Service running, say). */
  set(name: string, value: string): void;
  delete(name: string): void;
}

/** Where each secret went, kept in `secrets.json` (0600) beside the database; the value too unless a keychain holds it. */
const indexSchema = z.record(
  z.string(),
  z.discriminatedUnion("in", [
    z.object({ in: z.literal("keychain") }),
    z.object({ in: z.literal("encrypted"), value: z.string() }),
    z.object({ in: z.literal("file"), value: z.string() }),
  ]),
);
type Index = z.infer<typeof indexSchema>;

export interface SecretStatus {
  set: boolean;
  /** The last four characters, so a person can tell which token is set; never more. */
  last4: string | null;
  storage: SecretStorage | null;
  /** Said when no keychain could take it: where it is instead. */
  note: string | null;
}

/**
 * Secrets (the Hugging Face token) never go into the database or back to the UI. They go to the
 * keychain the runtime has: safeStorage in the desktop app, the OS keychain for the CLI and
 * browser mode, and where neither exists a file only this user can read, which is said plainly.
 */
export class SecretVault {
  constructor(
    private readonly file: string,
    private readonly options: { cipher?: SecretCipher; keychain?: Keychain | null } = {},
  ) {}

  get(name: string): string | null {
    return this.valueOf(name, this.readIndex()[name]);
  }

  /** The secret an index entry points at, or null where it cannot be had (no keychain, another app's key). */
  private valueOf(name: string, entry: Index[string] | undefined): string | null {
    if (!entry) return null;
    switch (entry.in) {
      case "keychain":
        try {
          return this.options.keychain?.get(name) ?? null;
        } catch {
          return null;
        }
      case "encrypted": {
        const cipher = this.options.cipher;
        if (!cipher?.isEncryptionAvailable()) return null; // saved by the desktop app, with its key
        try {
          return cipher.decryptString(Buffer.from(entry.value, "base64"));
        } catch {
          return null;
        }
      }
      case "file":
        return entry.value;
      default:
        return entry satisfies never;
    }
  }

  status(name: string): SecretStatus {
    const entry = this.readIndex()[name];
    if (!entry) return { set: false, last4: null, storage: null, note: null };
    const value = this.valueOf(name, entry);
    const note =
      entry.in === "file"
        ? `No system keychain was available, so it is kept in ${this.file}, readable only by your user account.`
        : value === null && entry.in === "encrypted"
          ? "It was saved by the desktop app, encrypted with its key; set HF_TOKEN to use a token here."
          : value === null
            ? "The keychain did not give it back; enter it again."
            : null;
    return { set: true, last4: value && value.length >= 8 ? value.slice(-4) : null, storage: entry.in, note };
  }

  set(name: string, value: string): void {
    const index = this.readIndex();
    this.forget(name, index);
    const { cipher, keychain } = this.options;
    if (cipher?.isEncryptionAvailable()) {
      index[name] = { in: "encrypted", value: cipher.encryptString(value).toString("base64") };
    } else {
      let stored = false;
      if (keychain) {
        try {
          keychain.set(name, value);
          stored = true;
        } catch {
          stored = false; // no keychain here: the file below, said in status()
        }
      }
      index[name] = stored ? { in: "keychain" } : { in: "file", value };
    }
    this.writeIndex(index);
  }

  delete(name: string): void {
    const index = this.readIndex();
    this.forget(name, index);
    delete index[name];
    this.writeIndex(index);
  }

  private forget(name: string, index: Index): void {
    if (index[name]?.in !== "keychain") return;
    try {
      this.options.keychain?.delete(name);
    } catch {
      // Already gone, or the keychain is away: the index no longer points at it either way.
    }
  }

  private readIndex(): Index {
    let text: string;
    try {
      text = fs.readFileSync(this.file, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return {};
      throw error;
    }
    const parsed = indexSchema.safeParse(safeJson(text));
    if (!parsed.success) {
      throw new HearthError("INTERNAL", `${path.basename(this.file)} in the data folder is damaged.`, {
        suggestion: `Delete ${this.file} and enter the token again.`,
      });
    }
    return parsed.data;
  }

  private writeIndex(index: Index): void {
    writePrivateFileSync(this.file, `${JSON.stringify(index, null, 2)}\n`);
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
