import fs from "node:fs";
import path from "node:path";

/**
 * The data folder holds every conversation and the secrets: only its owner may enter it (0700).
 * An existing folder is tightened too, since earlier Hearths made it 0755. Windows has no modes;
 * there the user's profile folder already keeps others out.
 */
export function makePrivateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (process.platform !== "win32") fs.chmodSync(dir, 0o700);
}

/** Creates the file if missing, readable and writable by its owner only (0600), and tightens one that exists. */
export function ensurePrivateFile(file: string): void {
  fs.closeSync(fs.openSync(file, "a", 0o600));
  if (process.platform !== "win32") fs.chmodSync(file, 0o600);
}

/** Replaces a small file atomically, 0600 from its first byte. */
export function writePrivateFileSync(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const partial = `${file}.${process.pid}.tmp`;
  const fd = fs.openSync(partial, "w", 0o600);
  try {
    fs.writeFileSync(fd, text);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(partial, file);
}
