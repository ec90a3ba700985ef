import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";

export interface FoundGguf {
  path: string;
  fileSize: number;
}

/** Where people keep GGUF files: downloads, and the folders of the other local-model apps. */
export function knownModelFolders(home = os.homedir()): string[] {
  return [
    "Downloads",
    "models",
    ".cache/lm-studio/models",
    ".lmstudio/models",
    ".cache/huggingface/hub",
    ".local/share/nomic.ai/GPT4All",
    "Library/Application Support/nomic.ai/GPT4All",
    "AppData/Local/nomic.ai/GPT4All",
    "jan/models",
    ".local/share/Jan/data/models",
  ].map((folder) => path.join(home, folder));
}

/**
 * GGUF files under `folders` (a few levels deep, symlinks followed as the Hugging Face cache uses
 * them), largest first. Unreadable folders are skipped: this only offers suggestions.
 */
export async function findGgufFiles(folders: string[], { maxDepth = 5, limit = 200 } = {}): Promise<FoundGguf[]> {
  const found = new Map<string, FoundGguf>();
  const walk = async (dir: string, depth: number): Promise<void> => {
    if (depth > maxDepth || found.size >= limit) return;
    const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      if (entry.name.startsWith(".") && depth > 0) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(full, depth + 1);
      else if ((entry.isFile() || entry.isSymbolicLink()) && entry.name.toLowerCase().endsWith(".gguf")) {
        const stat = await fs.stat(full).catch(() => null);
        if (stat?.isFile() && found.size < limit) found.set(full, { path: full, fileSize: stat.size });
      }
    }
  };
  for (const folder of folders) await walk(folder, 0);
  return [...found.values()].sort((a, b) => b.fileSize - a.fileSize);
}
