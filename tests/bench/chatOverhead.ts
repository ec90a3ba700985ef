/**
 * What Hearth's path costs a chat turn: ChatService, the engine process, IPC and the SQLite store,
 * against a minimal direct node-llama-cpp script, same model, prompt, sampling and threads.
 * The llama-bench method: each side warms up (turnProtocol.mjs says how long, and why), then
 * measured turns. Both sides stay loaded and take turns (in alternating order), so the machine's
 * drift hits both alike; the cost is the median of the paired differences. (Running one side
 * after the other instead was tried: at 1B the 40 s between them let the machine's drift, ±5% per
 * session on this VM, into every pair.) The first warm-up turn of each side is reported on its
 * own line: the speed of a first reply after load.
 */
import path from "node:path";
import { engineEnv } from "../../electron/core/engine/engineEnv";
import { projectRoot } from "../support/testModel";
import { median, sessionInterval, stddev, syntheticModel, testModelPath } from "./benchSupport";
import { TurnTaker } from "./turnTaker";

interface Sample {
  tokensPerSecond: number;
  timeToFirstTokenMs: number;
  completionTokens: number;
}

const PROMPT = "Once upon a time";
const THREADS = Number(process.env.BENCH_THREADS ?? 1);
// Weights read into memory on both sides: a mapped file's pages can be reclaimed under memory
// pressure (this VM's kernel does it on its own), which makes one run 3x slower than the next.
const MMAP = process.env.BENCH_MMAP ?? "0";

/** A case's defaults; BENCH_TOKENS, BENCH_SESSIONS and BENCH_PAIRS (per session) override them. */
interface Case {
  name: string;
  file: string;
  /** Tokens per turn. */
  tokens: number;
  targetPct: number;
  sessions: number;
  pairs: number;
}

/** Both sides started fresh, side by side; each warms up, then waits for "turn". */
function sides(model: string, maxTokens: number) {
  const args = [model, PROMPT, String(maxTokens), String(THREADS), "2048"];
  const env = { BENCH_MMAP: MMAP };
  return Promise.all([
    // The baseline's process gets the engine's environment (huge pages for its buffers on Linux),
    // so the figure is the cost of Hearth's path, not net of what that gains.
    TurnTaker.start<Sample>(process.execPath, [path.join(projectRoot, "tests/bench/directChat.mjs"), ...args], { ...engineEnv(), ...env }),
    TurnTaker.start<Sample>(process.execPath, ["--import", "tsx", path.join(projectRoot, "tests/bench/hearthChat.ts"), ...args], env),
  ]);
}

/** "met" only when the whole interval is within the target; a point estimate alone can be luck. */
function verdict(cost: number, high: number, target: number, sessions: number): string {
  // Resampling one session gives it back every time: an interval of zero width, no evidence.
  if (sessions < 2) return "not shown (one session has no interval)";
  if (high <= target) return "met";
  return cost <= target ? "not shown (the interval reaches past it)" : "MISSED";
}

export async function chatOverhead(): Promise<void> {
  // Sized to settle each target on this 2-core VM. Turns of one side drift apart by a few percent
  // within seconds, and every fresh process pair carries its own offset (~0.8% sd at 1B, seen in
  // A/A runs of the direct script against itself), so the interval narrows with the number of
  // sessions far more than with turns per session. At 1B the turns are short (32 tokens): a pair
  // lies closer in time (its differences' sd falls from 4% at 128 tokens to 2.8%), there are four
  // times as many per minute, and any per-turn cost of Hearth's path weighs more, not less.
  const cases: Case[] = [
    { name: "stories260K", file: testModelPath, tokens: 512, targetPct: 3, sessions: 12, pairs: 6 },
    { name: "synthetic 1B Q4_0", file: await syntheticModel("1b", "q4_0"), tokens: 32, targetPct: 1, sessions: 48, pairs: 10 },
  ];
  const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
  console.log(
    `\nChat overhead: Hearth's chat path vs direct node-llama-cpp (${THREADS} thread(s), mmap ${MMAP === "0" ? "off" : "on"}, paired turns after warm-up)`,
  );
  // BENCH_CASES=synthetic (or stories): only the cases whose name starts so.
  const only = process.env.BENCH_CASES?.split(",");
  for (const { name, file, targetPct, ...defaults } of cases) {
    if (only && !only.some((prefix) => name.startsWith(prefix))) continue;
    const maxTokens = env("BENCH_TOKENS", defaults.tokens);
    const sessions = env("BENCH_SESSIONS", defaults.sessions);
    const pairs = env("BENCH_PAIRS", defaults.pairs);
    // Fresh processes for each session: where a process lands (cores, memory) stays with it for
    // its life and shifts one side by a few percent, so a single pair of processes is one sample.
    const d: Sample[] = [];
    const h: Sample[] = [];
    const firstD: Sample[] = [];
    const firstH: Sample[] = [];
    // Each session's paired differences: tok/s lost in %, TTFT added in ms.
    const tpsDiffs: number[][] = [];
    const ttftDiffs: number[][] = [];
    const tpsDiff = (direct: Sample[], hearth: Sample[]) => direct.map((s, i) => ((s.tokensPerSecond - hearth[i]!.tokensPerSecond) / s.tokensPerSecond) * 100);
    const ttftDiff = (direct: Sample[], hearth: Sample[]) => direct.map((s, i) => hearth[i]!.timeToFirstTokenMs - s.timeToFirstTokenMs);
    for (let session = 0; session < sessions; session++) {
      const [direct, hearth] = await sides(file, maxTokens);
      firstD.push(direct.firstTurn);
      firstH.push(hearth.firstTurn);
      const first = d.length;
      try {
        for (let i = 0; i < pairs; i++) {
          if (i % 2 === 0) {
            d.push(await direct.turn());
            h.push(await hearth.turn());
          } else {
            h.push(await hearth.turn());
            d.push(await direct.turn());
          }
        }
      } finally {
        await Promise.all([direct.stop(), hearth.stop()]);
      }
      tpsDiffs.push(tpsDiff(d.slice(first), h.slice(first)));
      ttftDiffs.push(ttftDiff(d.slice(first), h.slice(first)));
      process.stderr.write(".");
    }
    process.stderr.write("\n");
    const tpsCost = median(tpsDiffs.flat());
    const ttftCost = median(ttftDiffs.flat());
    const [tpsLow, tpsHigh] = sessionInterval(tpsDiffs, median);
    const [ttftLow, ttftHigh] = sessionInterval(ttftDiffs, median);
    const line = (label: string, list: Sample[]) => {
      const tps = list.map((s) => s.tokensPerSecond);
      return `  ${label}  ${median(tps).toFixed(1).padStart(8)} tok/s ±${stddev(tps).toFixed(1)}   TTFT ${median(list.map((s) => s.timeToFirstTokenMs)).toFixed(1)} ms`;
    };
    console.log(`${name}  (${d.length} paired turns of ${median(h.map((s) => s.completionTokens))} tokens, ${sessions} sessions of fresh processes)`);
    console.log(line("direct", d));
    console.log(line("hearth", h));
    console.log(
      `  cost    ${tpsCost.toFixed(2)}% of tok/s (95% interval ${tpsLow.toFixed(2)} … ${tpsHigh.toFixed(2)}%; target ≤ ${targetPct}%: ${verdict(tpsCost, tpsHigh, targetPct, sessions)}),` +
        ` ${ttftCost.toFixed(1)} ms TTFT (${ttftLow.toFixed(1)} … ${ttftHigh.toFixed(1)} ms; target ≤ 10 ms: ${verdict(ttftCost, ttftHigh, 10, sessions)})`,
    );
    console.log("          [medians of paired differences; intervals by resampling whole sessions]");
    console.log(`  cost by session: ${tpsDiffs.map((c) => `${median(c).toFixed(2)}%`).join(", ")}`);
    console.log(
      `  first reply after load (before warm-up; one per session): direct ${median(firstD.map((s) => s.tokensPerSecond)).toFixed(1)} tok/s,` +
        ` hearth ${median(firstH.map((s) => s.tokensPerSecond)).toFixed(1)} tok/s, cost ${median(tpsDiff(firstD, firstH)).toFixed(2)}% of tok/s,` +
        ` ${median(ttftDiff(firstD, firstH)).toFixed(1)} ms TTFT`,
    );
  }
}
