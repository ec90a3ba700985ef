/**
 * What Hearth's path costs a chat turn: `hearth chat --json` (engine process, IPC, SQLite store)
 * against a minimal direct node-llama-cpp script, same model, prompt, sampling and threads.
 * Runs alternate between the two so drift on the machine hits both alike. Prints medians.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { projectRoot } from "../support/testModel";
import { median, run, stddev, syntheticModel, testModelPath } from "./benchSupport";

interface Sample {
  tokensPerSecond: number;
  timeToFirstTokenMs: number;
  completionTokens: number;
}

const PROMPT = "Once upon a time";
const THREADS = Number(process.env.BENCH_THREADS ?? 1);
const REPS = Number(process.env.BENCH_REPS ?? 5);

async function direct(model: string, maxTokens: number): Promise<Sample> {
  const { stdout } = await run(process.execPath, [path.join(projectRoot, "tests/bench/directChat.mjs"), model, PROMPT, String(maxTokens), String(THREADS), "2048"]);
  return JSON.parse(stdout.trim().split("\n").at(-1)!);
}

async function hearth(model: string, maxTokens: number, dataDir: string): Promise<Sample> {
  const args = [path.join(projectRoot, "bin/hearth.mjs"), "--data-dir", dataDir, "chat", "--model", model, "--prompt", PROMPT, "--json",
    "--max-tokens", String(maxTokens), "--threads", String(THREADS), "--ctx", "2048", "--seed", "1", "--backend", "cpu"];
  const { stdout } = await run(process.execPath, args, { maxBuffer: 1 << 24 });
  return JSON.parse(stdout);
}

function summarize(samples: Sample[]) {
  const tps = samples.map((s) => s.tokensPerSecond);
  return { tps: median(tps), tpsSd: stddev(tps), ttft: median(samples.map((s) => s.timeToFirstTokenMs)), tokens: median(samples.map((s) => s.completionTokens)) };
}

export async function chatOverhead(): Promise<void> {
  const models: [string, string, number, number][] = [
    ["stories260K", testModelPath, 512, 3],
    ["synthetic 1B Q4_0", await syntheticModel("1b", "q4_0"), 128, 1],
  ];
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-bench-"));
  console.log(`\nChat overhead: hearth chat vs direct node-llama-cpp (${THREADS} thread(s), ${REPS} runs each, medians)`);
  try {
    for (const [name, file, maxTokens, targetPct] of models) {
      const d: Sample[] = [];
      const h: Sample[] = [];
      await direct(file, 8); // warm the page cache for both
      for (let i = 0; i < REPS; i++) {
        d.push(await direct(file, maxTokens));
        h.push(await hearth(file, maxTokens, dataDir));
        process.stderr.write(".");
      }
      process.stderr.write("\n");
      const ds = summarize(d);
      const hs = summarize(h);
      const tpsCost = ((ds.tps - hs.tps) / ds.tps) * 100;
      const ttftCost = hs.ttft - ds.ttft;
      console.log(`${name}  (${hs.tokens} tokens)`);
      console.log(`  direct  ${ds.tps.toFixed(1).padStart(8)} tok/s ±${ds.tpsSd.toFixed(1)}   TTFT ${ds.ttft.toFixed(1)} ms`);
      console.log(`  hearth  ${hs.tps.toFixed(1).padStart(8)} tok/s ±${hs.tpsSd.toFixed(1)}   TTFT ${hs.ttft.toFixed(1)} ms`);
      console.log(
        `  cost    ${tpsCost.toFixed(2)}% of tok/s (target ≤ ${targetPct}%: ${tpsCost <= targetPct ? "met" : "MISSED"}),` +
          ` ${ttftCost.toFixed(1)} ms TTFT (target ≤ 10 ms: ${ttftCost <= 10 ? "met" : "MISSED"})`,
      );
    }
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
