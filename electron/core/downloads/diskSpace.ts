import fs from "node:fs/promises";
import path from "node:path";

/** Free bytes for an unprivileged user on the disk holding `dir` (its nearest existing parent). */
export async function freeDiskBytes(dir: string): Promise<number> {
  let probe = path.resolve(dir);
  for (;;) {
    try {
      const stats = await fs.statfs(probe);
      return stats.bavail * stats.bsize;
    } catch (error) {
      const parent = path.dirname(probe);
      if ((error as NodeJS.ErrnoException).code !== "ENOENT" || parent === probe) throw error;
      probe = parent;
    }
  }
}
