import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";

let cached: number | undefined;

/**
 * The number of physical CPU cores. llama.cpp's throughput collapses when it runs more threads
 * than there are physical cores (hyper-threads and a busy desktop steal its cycles), so this is
 * the default thread count, never the logical count.
 */
export function physicalCoreCount(): number {
  cached ??= detect();
  return cached;
}

function detect(): number {
  const logical = Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
  try {
    if (process.platform === "linux") {
      const cores = new Set<string>();
      let physicalId = "0";
      for (const line of fs.readFileSync("/proc/cpuinfo", "utf8").split("\n")) {
        const [key, value] = line.split(":").map((part) => part?.trim());
        if (key === "physical id") physicalId = value ?? "0";
        else if (key === "core id") cores.add(`${physicalId}:${value}`);
      }
      if (cores.size > 0) return Math.min(cores.size, logical);
    } else if (process.platform === "darwin") {
      const value = Number(execFileSync("sysctl", ["-n", "hw.physicalcpu"], { encoding: "utf8" }).trim());
      if (Number.isInteger(value) && value > 0) return value;
    }
  } catch {
    // fall through to the logical count
  }
  return logical;
}
