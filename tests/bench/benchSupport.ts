import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { projectRoot, testModelPath } from "../support/testModel";

const run = promisify(execFile);
export const cacheDir = path.join(projectRoot, "tests/bench/.cache");

/** A synthetic model of real shape (random weights), made once and kept in the git-ignored cache. */
export async function syntheticModel(preset: "tiny" | "1b" | "3b", type: "f16" | "q8_0" | "q4_0", extra: string[] = []): Promise<string> {
  const file = path.join(cacheDir, `synthetic-${preset}-${type}${extra.join("").replace(/[^a-z0-9]+/gi, "-")}.gguf`);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(cacheDir, { recursive: true });
    const tool = path.join(projectRoot, "../shared/tools/make-synthetic-gguf.mjs");
    process.stderr.write(`making ${path.basename(file)}…\n`);
    await run(process.execPath, [tool, "--preset", preset, "--type", type, ...extra, "--out", file], { maxBuffer: 1 << 24 });
  }
  return file;
}

export { testModelPath };

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function stddev(values: number[]): number {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return Math.sqrt(values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / values.length);
}
