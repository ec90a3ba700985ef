/**
 * Hearth's prompt and generation speed against llama.cpp's own tools on the same commit, built
 * the way llama.cpp's releases are (llamaCppTools.ts):
 * llama-bench (the reference method), llama-server (one stream, its own timings) and Hearth's
 * bench (BenchRunner: an engine process, node-llama-cpp, the llama-bench method). Same model,
 * threads, context, batch and flash attention (off) on every side, Hearth with the settings a user
 * gets. Rounds run the three in a new random order each time, so the machine's drift hits all
 * alike; each ratio is taken within a round, with a 95% interval over the rounds. Targets (issue
 * 22): Hearth's tg at least 97% of llama-bench's and at least llama-server's, pp at least 97% of
 * llama-bench's. Time to first token is the prompt's evaluation (pp tokens) on each side.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { createCore } from "../../electron/core/createCore";
import { median, sessionInterval, syntheticModel, testModelPath } from "./benchSupport";
import { llamaCppTools, startLlamaServer } from "./llamaCppTools";

const run = promisify(execFile);
const THREADS = Number(process.env.BENCH_THREADS ?? os.availableParallelism());
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 6);
const PP = 256;
const TG = 64;
const CTX = 1024;

interface Figures {
  pp: number;
  tg: number;
  ttftMs: number;
}
type Side = "llama-bench" | "llama-server" | "Hearth";

export async function engineVsLlamaCpp(): Promise<void> {
  const tools = await llamaCppTools();
  const cases: [string, string][] = [
    ["stories260K", testModelPath],
    ["synthetic 1B Q4_0", await syntheticModel("1b", "q4_0")],
    ["synthetic 1B Q8_0", await syntheticModel("1b", "q8_0")],
  ];
  const only = process.env.BENCH_CASES?.split(",");
  const chosen = only ? cases.filter(([name]) => only.some((n) => name.startsWith(n))) : cases;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-bench-vs-llamacpp-"));
  const core = createCore({ dataDir, backend: "cpu" });
  console.log(
    `\nHearth vs llama.cpp ${tools.tag} (built as its releases are; CPU variant ${tools.variant}${tools.dropped.length ? `, ${tools.dropped.join(", ")} set aside: illegal instruction here` : ""}): pp${PP}/tg${TG}, ${THREADS} threads, context ${CTX}, flash attention off, ${ROUNDS} rounds in random order`,
  );
  try {
    for (const [name, file] of chosen) {
      const model = await core.library.import(file, "reference");
      const server = await startLlamaServer(tools.server, file, { threads: THREADS, contextSize: CTX, slots: 1 });
      const sides: Record<Side, () => Promise<Figures>> = {
        "llama-bench": () => llamaBench(tools.bench, file),
        "llama-server": () => serverStream(server.url),
        // biome-ignore lint/correctness/noComponentHookFactories: a side of the comparison named as printed, not a component
        Hearth: async () => {
          const result = await core.bench.start({
            modelIds: [model.id],
            pp: [PP],
            tg: [TG],
            depth: [0],
            reps: 1,
            threads: [THREADS],
            gpuLayers: ["off"],
            flashAttention: [false],
            contextSize: CTX,
          }).done;
          const row = result.rows[0]!;
          if (row.status !== "ok") throw new Error(`Hearth's bench failed: ${row.error}`);
          return { pp: row.pp!.mean, tg: row.tg!.mean, ttftMs: (PP / row.pp!.mean) * 1000 };
        },
      };
      const rounds: Partial<Record<Side, Figures>>[] = [];
      // A reference that cannot measure this model (llama-server's output parser refuses some of a
      // random-weights model's tokens) is left out of it, and the reason printed; Hearth's failure is fatal.
      const failed: Partial<Record<Side, string>> = {};
      try {
        for (let r = 0; r < ROUNDS; r++) {
          const order = (Object.keys(sides) as Side[]).filter((side) => !failed[side]).sort(() => Math.random() - 0.5);
          const round: Partial<Record<Side, Figures>> = {};
          for (const side of order) {
            try {
              round[side] = await sides[side]();
            } catch (error) {
              if (side === "Hearth") throw error;
              failed[side] = error instanceof Error ? error.message : String(error);
            }
          }
          rounds.push(round);
          process.stderr.write(".");
        }
      } finally {
        server.process.kill("SIGTERM");
      }
      process.stderr.write("\n");
      report(name, rounds, failed);
    }
  } finally {
    await core.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

function report(name: string, all: Partial<Record<Side, Figures>>[], failed: Partial<Record<Side, string>>): void {
  // Only rounds where every side still measuring did, so each ratio is within one round.
  const rounds = all.filter((r) => (["llama-bench", "llama-server", "Hearth"] as const).every((side) => failed[side] || r[side])) as Record<Side, Figures>[];
  const interval = (values: number[]) =>
    sessionInterval(
      values.map((v) => [v]),
      median,
    );
  const show = (values: number[], digits = 1) => {
    const [low, high] = interval(values);
    return `${median(values).toFixed(digits)} [${low.toFixed(digits)}, ${high.toFixed(digits)}]`;
  };
  console.log(`  ${name}`);
  for (const side of ["llama-bench", "llama-server", "Hearth"] as const) {
    if (failed[side]) {
      console.log(`    ${side.padEnd(13)} not measured: ${failed[side]}`);
      continue;
    }
    const of = (metric: keyof Figures) => rounds.map((r) => r[side][metric]);
    console.log(`    ${side.padEnd(13)} pp ${show(of("pp"))} tok/s · tg ${show(of("tg"))} tok/s · first token ${show(of("ttftMs"), 0)} ms`);
  }
  const ratio = (metric: "pp" | "tg", reference: Side, target: number) => {
    if (failed[reference]) return `${metric} against ${reference}: n/a`;
    const values = rounds.map((r) => (r.Hearth[metric] / r[reference][metric]) * 100);
    const [low, high] = interval(values);
    const verdict = low >= target ? "met" : high < target ? "MISSED" : "not shown (the interval straddles it)";
    return `${metric} ${median(values).toFixed(1)}% [${low.toFixed(1)}, ${high.toFixed(1)}] of ${reference} (target ≥ ${target}%: ${verdict})`;
  };
  console.log(`    Hearth: ${ratio("tg", "llama-bench", 97)}; ${ratio("tg", "llama-server", 100)}; ${ratio("pp", "llama-bench", 97)}`);
}

/** One llama-bench run: one repetition of pp and of tg (the rounds repeat it). */
async function llamaBench(bench: string, file: string): Promise<Figures> {
  const { stdout } = await run(
    bench,
    ["-m", file, "-t", String(THREADS), "-p", String(PP), "-n", String(TG), "-r", "1", "-fa", "0", "-ngl", "0", "-o", "json"],
    {
      maxBuffer: 1 << 24,
    },
  );
  const tests = JSON.parse(stdout) as { n_prompt: number; n_gen: number; avg_ts: number }[];
  const pp = tests.find((t) => t.n_prompt === PP && t.n_gen === 0)!.avg_ts;
  const tg = tests.find((t) => t.n_gen === TG && t.n_prompt === 0)!.avg_ts;
  return { pp, tg, ttftMs: (PP / pp) * 1000 };
}

/** One stream of TG tokens after a PP-token prompt (not cached), by the server's own timings. */
async function serverStream(url: string): Promise<Figures> {
  const prompt = Array.from({ length: PP }, () => 1);
  const response = await fetch(`${url}/completion`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ prompt, n_predict: TG, cache_prompt: false, ignore_eos: true, temperature: 0 }),
  });
  const answer = (await response.json()) as { timings?: { prompt_per_second: number; predicted_per_second: number; prompt_ms: number; prompt_n: number } };
  const { timings } = answer;
  if (!timings) throw new Error(`llama-server answered ${response.status} without timings: ${JSON.stringify(answer).slice(0, 300)}`);
  if (timings.prompt_n < PP / 2) throw new Error(`llama-server evaluated ${timings.prompt_n} prompt tokens; the prompt cache was used`);
  return { pp: timings.prompt_per_second, tg: timings.predicted_per_second, ttftMs: timings.prompt_ms };
}
