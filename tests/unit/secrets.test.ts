import { describe, expect, it } from "vitest";
import Database from "better-sqlite3";
import fs from "node:fs";
import path from "node:path";
import { createHandlers, invoke } from "../../electron/core/api/handlers";
import { createCore, HF_TOKEN_SECRET } from "../../electron/core/createCore";
import { openDatabase } from "../../electron/core/store/openDatabase";
import { SecretVault, type Keychain, type SecretCipher } from "../../electron/core/secrets/SecretVault";
import { tempDir } from "../support/tempDir";

const TOKEN = "hf_abcdefghijklmnopqrstuvwxyz0123456789WXYZ";
const root = tempDir();
let n = 0;
const freshDir = () => path.join(root, `data-${n++}`);
const mode = (file: string) => fs.statSync(file).mode & 0o777;
/** Every byte Hearth keeps in the data folder, as one string: a secret must be in none of it, unless a file vault holds it. */
const allBytes = (dir: string, except: string[] = []) =>
  fs
    .readdirSync(dir)
    .filter((name) => !except.includes(name) && fs.statSync(path.join(dir, name)).isFile())
    .map((name) => fs.readFileSync(path.join(dir, name)).toString("latin1"))
    .join("\n");

describe("the data folder", () => {
  it.skipIf(process.platform === "win32")("is 0700 and the database 0600, with its WAL; a 0755 folder from before is tightened", async () => {
    const dir = freshDir();
    fs.mkdirSync(dir, { mode: 0o755 });
    fs.chmodSync(dir, 0o755);
    const core = createCore({ dataDir: dir, keychain: null });
    core.conversations.createConversation({ title: "x" });
    expect(mode(dir)).toBe(0o700);
    for (const file of ["hearth.db", "hearth.db-wal", "hearth.db-shm"]) expect(mode(path.join(dir, file))).toBe(0o600);
    await core.close();
  });
});

describe("the Hugging Face token", () => {
  it("is kept out of the database and never returned by the contract: only that it is set, and its last four characters", async () => {
    const dir = freshDir();
    const core = createCore({ dataDir: dir, keychain: null });
    const handlers = createHandlers(core);
    const updated = await invoke(handlers, "settings.update", { hfToken: TOKEN });
    expect(updated).toMatchObject({ ok: true, value: { hfToken: { set: true, last4: "WXYZ" } } });
    const view = await invoke(handlers, "settings.get", {});
    expect(JSON.stringify(view)).not.toContain(TOKEN.slice(0, 12));
    expect(core.secrets.get(HF_TOKEN_SECRET)).toBe(TOKEN);
    expect(allBytes(dir, ["secrets.json"])).not.toContain(TOKEN);
    // No keychain (the test keeps away from the user's own): the file fallback, said plainly, 0600.
    const status = core.secrets.status(HF_TOKEN_SECRET);
    expect(status.storage).toBe("file");
    expect(status.note).toMatch(/No system keychain.*readable only by your user account/);
    if (process.platform !== "win32") expect(mode(path.join(dir, "secrets.json"))).toBe(0o600);
    expect(await invoke(handlers, "settings.update", { hfToken: "" })).toMatchObject({ ok: true, value: { hfToken: { set: false, last4: null } } });
    expect(core.secrets.get(HF_TOKEN_SECRET)).toBeNull();
    await core.close();
  });

  it("written in clear by an earlier Hearth moves to the vault, and its bytes leave the database", async () => {
    const dir = freshDir();
    fs.mkdirSync(dir);
    const db = openDatabase(path.join(dir, "hearth.db"));
    db.prepare(`INSERT INTO settings (key, value_json) VALUES ('hfToken', ?), ('theme', '"dark"')`).run(JSON.stringify(TOKEN));
    db.close();
    const core = createCore({ dataDir: dir, keychain: null });
    expect(core.secrets.get(HF_TOKEN_SECRET)).toBe(TOKEN);
    expect(core.settings.get().theme).toBe("dark");
    expect(allBytes(dir, ["secrets.json"])).not.toContain(TOKEN);
    await core.close();
    const check = new Database(path.join(dir, "hearth.db"));
    expect(check.prepare(`SELECT COUNT(*) AS n FROM settings WHERE key = 'hfToken'`).get()).toEqual({ n: 0 });
    check.close();
  });

  it("goes to the keychain where one can be written, and to the desktop app's safeStorage there", () => {
    const file = path.join(freshDir(), "secrets.json");
    const keychainItems = new Map<string, string>();
    const keychain: Keychain = {
      get: (k) => keychainItems.get(k) ?? null,
      set: (k, v) => void keychainItems.set(k, v),
      delete: (k) => void keychainItems.delete(k),
    };
    const inKeychain = new SecretVault(file, { keychain });
    inKeychain.set("hfToken", TOKEN);
    expect(inKeychain.status("hfToken")).toEqual({ set: true, last4: "WXYZ", storage: "keychain", note: null });
    expect(fs.readFileSync(file, "utf8")).not.toContain(TOKEN);
    inKeychain.delete("hfToken");
    expect(keychainItems.size).toBe(0);

    // A stand-in for Electron's safeStorage (its real cipher needs the desktop app's key).
    const cipher: SecretCipher = {
      isEncryptionAvailable: () => true,
      encryptString: (plain) => Buffer.from(Buffer.from(plain).map((b) => b ^ 0x5a)),
      decryptString: (data) => Buffer.from(data.map((b) => b ^ 0x5a)).toString(),
    };
    const encrypted = new SecretVault(file, { cipher });
    encrypted.set("hfToken", TOKEN);
    expect(encrypted.status("hfToken")).toMatchObject({ set: true, storage: "encrypted", note: null });
    expect(fs.readFileSync(file, "utf8")).not.toContain(TOKEN);
    // The CLI cannot decrypt what the desktop app encrypted: it says so instead of failing.
    expect(new SecretVault(file, { keychain: null }).status("hfToken")).toMatchObject({ set: true, last4: null, note: /desktop app/ });
  });

  it("falls back to the file with a clear note when the keychain refuses", () => {
    const file = path.join(freshDir(), "secrets.json");
    const locked: Keychain = {
      get: () => null,
      set: () => {
        throw new Error("Couldn't access platform storage");
      },
      delete: () => undefined,
    };
    const vault = new SecretVault(file, { keychain: locked });
    vault.set("hfToken", TOKEN);
    expect(vault.get("hfToken")).toBe(TOKEN);
    expect(vault.status("hfToken")).toMatchObject({ storage: "file", note: expect.stringContaining(file) });
  });
});
