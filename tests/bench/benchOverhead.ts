/**
 * What Hearth's bench path costs its own figures: BenchRunner, an engine process per row and the
 * worker protocol, against `directBench.mjs` (the same method with nothing but node-llama-cpp),
 * same model, tokens, threads and context. Pairs of runs in alternating order; the cost is the
 * median of the paired differences of mean tokens per second. Target: within 3% for pp and tg.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { createCore } from "../../electron/core/createCore";
import { engineEnv } from "../../electron/core/engine/engineEnv";
import { projectRoot } from "../support/testModel";
import { median, syntheticModel, testModelPath } from "./benchSupport";

const run = promisify(execFile);
const THREADS = Number(process.env.BENCH_THREADS ?? 1);
const TARGET_PCT = 3;

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

async function direct(model: string, pp: number, tg: number, reps: number, ctx: number) {
  const { stdout } = await run(
    process.execPath,
    [path.join(projectRoot, "tests/bench/directBench.mjs"), model, String(pp), String(tg), String(reps), String(THREADS), String(ctx)],
    {
      maxBuffer: 1 << 20,
      // The engine's environment (huge pages on Linux): the figure is the cost of the path alone.
      env: engineEnv(),
    },
  );
  const result = JSON.parse(stdout.trim().split("\n").at(-1)!) as { pp: number[]; tg: number[] };
  return { pp: mean(result.pp), tg: mean(result.tg) };
}

export async function benchOverhead(): Promise<void> {
  const cases: [string, string, number, number, number, number][] = [
    // name, file, pp, tg, repetitions, pairs
    ["stories260K", testModelPath, 512, 128, 5, Number(process.env.BENCH_PAIRS ?? 10)],
    ["synthetic 1B Q4_0", await syntheticModel("1b", "q4_0"), 256, 64, 3, Number(process.env.BENCH_PAIRS ?? 16)],
  ];
  const only = process.env.BENCH_CASES?.split(",");
  if (only) cases.splice(0, cases.length, ...cases.filter(([name]) => only.some((n) => name.startsWith(n))));
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-bench-overhead-"));
  const core = createCore({ dataDir, backend: "cpu" });
  console.log(`\nBench overhead: Hearth's bench (engine process per row) vs direct node-llama-cpp (${THREADS} thread(s), mmap off, paired runs)`);
  try {
    for (const [name, file, pp, tg, reps, pairs] of cases) {
      const model = await core.library.import(file, "reference");
      const ctx = Math.max(512, pp + tg + 16);
      const hearth = async () => {
        const result = await core.bench.start({
          modelIds: [model.id],
          pp: [pp],
          tg: [tg],
          depth: [0],
          reps,
          threads: [THREADS],
          gpuLayers: ["off"],
          flashAttention: [false],
          contextSize: ctx,
        }).done;
        const row = result.rows[0]!;
        if (row.status !== "ok") throw new Error(`Hearth's bench failed: ${row.error}`);
        return { pp: row.pp!.mean, tg: row.tg!.mean };
      };
      const d: { pp: number; tg: number }[] = [];
      const h: { pp: number; tg: number }[] = [];
      for (let i = 0; i < pairs; i++) {
        if (i % 2 === 0) {
          d.push(await direct(file, pp, tg, reps, ctx));
          h.push(await hearth());
        } else {
          h.push(await hearth());
          d.push(await direct(file, pp, tg, reps, ctx));
        }
        process.stderr.write(".");
      }
      process.stderr.write("\n");
      for (const metric of ["pp", "tg"] as const) {
        const cost = median(d.map((s, i) => ((s[metric] - h[i]![metric]) / s[metric]) * 100));
        console.log(
          `  ${name.padEnd(18)} ${metric}${metric === "pp" ? pp : tg}: direct ${median(d.map((s) => s[metric])).toFixed(1)} tok/s, Hearth ${median(h.map((s) => s[metric])).toFixed(1)} tok/s, cost ${cost.toFixed(2)}% (target ≤ ${TARGET_PCT}%: ${Math.abs(cost) <= TARGET_PCT ? "met" : "MISSED"}), ${pairs} pairs × ${reps} reps`,
        );
      }
    }
  } finally {
    await core.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
