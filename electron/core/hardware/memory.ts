import fs from "node:fs";
import os from "node:os";

/**
 * RAM a new program can use now. On Linux that is MemAvailable (free plus reclaimable cache);
 * `os.freemem()` there counts the page cache as used and would call a machine full that is not.
 */
export function availableRamBytes(): number {
  if (process.platform === "linux") {
    try {
      const match = /^MemAvailable:\s+(\d+) kB$/m.exec(fs.readFileSync("/proc/meminfo", "utf8"));
      if (match) return Number(match[1]) * 1024;
    } catch {
      // fall through to Node's figure
    }
  }
  return os.freemem();
}
