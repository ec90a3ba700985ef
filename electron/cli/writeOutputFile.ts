import fs from "node:fs/promises";
import path from "node:path";
import { HearthError } from "../shared/errors";

/**
 * Writes a command's output to the file `--out` names (into it, under `filename`, when it names a
 * folder). Written beside the target and renamed, so a failure never leaves half a file or a
 * `.part` behind; every failure is one line a user can act on. Returns the path written.
 */
export async function writeOutputFile(out: string, filename: string, content: string | Uint8Array): Promise<string> {
  const target = (await isDirectory(out)) ? path.join(out, filename) : out;
  const folder = path.dirname(path.resolve(target));
  if (!(await isDirectory(folder)))
    throw new HearthError("NOT_FOUND", `The folder ${folder} does not exist.`, { suggestion: "Create it first, or give another --out." });
  const partial = `${target}.part`;
  try {
    await fs.writeFile(partial, content);
    await fs.rename(partial, target);
    return target;
  } catch (error) {
    await fs.rm(partial, { force: true }).catch(() => undefined);
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOSPC") throw new HearthError("DISK_FULL", `The disk holding ${folder} is full; nothing was written.`);
    if (code === "EACCES" || code === "EPERM" || code === "EROFS")
      throw new HearthError("INVALID_INPUT", `Hearth may not write to ${target} (${code}).`, { suggestion: "Pick a folder you can write to." });
    if (code === "EISDIR") throw new HearthError("INVALID_INPUT", `${target} is a folder.`, { suggestion: "Give a file name." });
    throw error;
  }
}

async function isDirectory(file: string): Promise<boolean> {
  return fs.stat(file).then(
    (stat) => stat.isDirectory(),
    () => false,
  );
}
