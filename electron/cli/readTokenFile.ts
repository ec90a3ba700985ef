import fs from "node:fs/promises";
import { UsageError } from "./output";

/** A token or key from a file (kept out of the shell's history and the process list), trimmed. */
export async function readTokenFile(file: string, flag = "--token-file"): Promise<string> {
  try {
    return (await fs.readFile(file, "utf8")).trim();
  } catch (error) {
    throw new UsageError(`Cannot read ${flag} ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`);
  }
}
