import { execFile, spawnSync } from "node:child_process";
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

/**
 * A 95% interval for `statistic` over samples that come in sessions (fresh process pairs): the
 * sessions are resampled whole, with replacement, because where a process lands shifts all of its
 * samples alike; resampling single samples would count one session's shift many times over as if
 * it were independent evidence and give an interval far too narrow. Seeded, so the same figures
 * print the same interval.
 */
export function sessionInterval(sessions: number[][], statistic: (values: number[]) => number, resamples = 2000): [number, number] {
  if (sessions.length === 0) throw new Error("no sessions to resample");
  let seed = 0x9e3779b9;
  // mulberry32: small, fast, good enough to pick sessions.
  const random = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const estimates: number[] = [];
  for (let r = 0; r < resamples; r++) {
    const values: number[] = [];
    for (let s = 0; s < sessions.length; s++) values.push(...sessions[Math.floor(random() * sessions.length)]!);
    estimates.push(statistic(values));
  }
  estimates.sort((a, b) => a - b);
  return [estimates[Math.floor(resamples * 0.025)]!, estimates[Math.ceil(resamples * 0.975) - 1]!];
}

/** Benches that run `hearth` measure the built CLI (bin/hearth.mjs runs it when it is fresh): build it first. */
export function ensureFreshBuild(): void {
  const build = spawnSync("npm", ["run", "build"], { cwd: projectRoot, stdio: ["ignore", "ignore", "inherit"] });
  if (build.status !== 0) throw new Error("npm run build failed");
}

/**
 * Made-up words drawn Zipf-like (word i with weight 1/(i+1)), so common words are common, from a
 * fixed seed: text that indexes like a real language's.
 */
export function zipfWords(seed = 42, size = 6000): { vocabulary: string[]; word(): string; random(): number } {
  let state = seed;
  const random = () => {
    state = (state * 1_103_515_245 + 12_345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
  const syllables = ["ka", "lo", "mi", "ren", "to", "sa", "vi", "el", "dor", "an", "th", "qu", "ul", "es", "pri", "mon"];
  const vocabulary = Array.from({ length: size }, () =>
    Array.from({ length: 2 + Math.floor(random() * 3) }, () => syllables[Math.floor(random() * syllables.length)]).join(""),
  );
  const weights = vocabulary.map((_, i) => 1 / (i + 1));
  const total = weights.reduce((a, b) => a + b, 0);
  const cumulative: number[] = [];
  weights.reduce((sum, w, i) => (cumulative[i] = sum + w / total), 0);
  const word = () => {
    const r = random();
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < r) lo = mid + 1;
      else hi = mid;
    }
    return vocabulary[lo]!;
  };
  return { vocabulary, word, random };
}
