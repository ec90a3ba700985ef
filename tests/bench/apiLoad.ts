/**
 * Issue 19's load test: 16 streaming clients at once for a minute against one model, through
 * Hearth's OpenAI-compatible API and, side by side on the same model, context, threads and number
 * of parallel slots, llama.cpp's own llama-server (built as llama.cpp's releases are, from the
 * source node-llama-cpp ships: llamaCppTools.ts). Prints aggregate tokens/s, time to first token
 * and inter-token latency (p50/p95), errors, how many requests waited for a slot, and the engine's
 * memory at the start and end of the run. Target: Hearth's throughput at least 90% of
 * llama-server's, its p95 time to first token no more than 1.2 times llama-server's.
 *
 * Time to first token is timed by the client, the same way for both: from sending the request to
 * the first text. Inter-token latency is each reply's decode time per token as its server reports
 * it on its engine's clock (llama-server's `timings`, Hearth's `hearth.tokens_per_second`): the
 * gaps between events would measure how text is sent (Hearth ten times a second, llama-server each
 * token), and a synthetic model's text is mostly bytes that are no character, held back by both.
 */
import { createParser } from "eventsource-parser";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createCore } from "../../electron/core/createCore";
import type { ModelLibrary } from "../../electron/core/models/ModelLibrary";
import { startOpenAiServer } from "../../electron/core/openai/OpenAiServer";
import { median, syntheticModel } from "./benchSupport";
import { llamaCppTools, startLlamaServer } from "./llamaCppTools";

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 16);
const SLOTS = Number(process.env.BENCH_SLOTS ?? 4);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const THREADS = Number(process.env.BENCH_THREADS ?? os.availableParallelism());
const CTX = 1024;
const MAX_TOKENS = 64;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);

type Side = "Hearth" | "llama-server";

interface Reply {
  ttftMs: number;
  itlMs: number | null;
  tokens: number;
}

interface Run {
  replies: Reply[];
  errors: string[];
  seconds: number;
  rssMiB: { start: number; end: number; peak: number };
  /** Most requests seen waiting for a slot at once (Hearth's own count; null where not known). */
  peakWaiting: number | null;
}

export async function apiLoad(): Promise<void> {
  const tools = await llamaCppTools();
  const file = await syntheticModel("1b", "q4_0");
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-bench-api-load-"));
  const core = createCore({ dataDir, backend: "cpu", keychain: null });
  console.log(
    `\nAPI load: ${CLIENTS} streaming clients for ${SECONDS} s, synthetic 1B Q4_0, ${SLOTS} parallel slots of ${CTX} tokens, ${THREADS} threads, up to ${MAX_TOKENS} tokens a reply, flash attention off; llama.cpp ${tools.tag} (CPU variant ${tools.variant})`,
  );
  try {
    const model = await core.library.import(file, "reference");
    core.library.setLoadDefaults(model.id, { contextSize: CTX, threads: THREADS, flashAttention: false });
    const sides: Record<Side, () => Promise<Run>> = {
      // biome-ignore lint/correctness/noComponentHookFactories: a side of the comparison named as printed, not a component
      Hearth: () => hearthRun(core.library, model.id),
      "llama-server": () => llamaServerRun(tools.server, file),
    };
    const rounds: Record<Side, Run>[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      // Alternate who goes first: a machine that warms or cools over the run favours neither.
      const order: Side[] = round % 2 === 0 ? ["Hearth", "llama-server"] : ["llama-server", "Hearth"];
      const runs = {} as Record<Side, Run>;
      for (const side of order) {
        runs[side] = await sides[side]();
        print(`round ${round + 1} ${side}`, runs[side]);
      }
      rounds.push(runs);
    }
    const ratios = rounds.map((runs) => throughput(runs.Hearth) / throughput(runs["llama-server"]));
    const ttftRatios = rounds.map((runs) => p95Ttft(runs.Hearth) / p95Ttft(runs["llama-server"]));
    const pooled = (side: Side) => ({ ...rounds[0]![side], replies: rounds.flatMap((r) => r[side].replies) });
    const ratio = rounds.reduce((sum, r) => sum + throughput(r.Hearth), 0) / rounds.reduce((sum, r) => sum + throughput(r["llama-server"]), 0);
    const ttftRatio = p95Ttft(pooled("Hearth")) / p95Ttft(pooled("llama-server"));
    const range = (values: number[], scale: number, digits: number) =>
      `rounds ${Math.min(...values.map((v) => v * scale)).toFixed(digits)} to ${Math.max(...values.map((v) => v * scale)).toFixed(digits)}`;
    console.log(
      `  Hearth / llama-server over ${ROUNDS} rounds: throughput ${(ratio * 100).toFixed(1)}% (${range(ratios, 100, 1)}; target at least 90%: ${ratio >= 0.9 ? "met" : "NOT met"}); p95 time to first token ${ttftRatio.toFixed(2)}x (${range(ttftRatios, 1, 2)}; target at most 1.2x: ${ttftRatio <= 1.2 ? "met" : "NOT met"})`,
    );
  } finally {
    await core.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Hearth's API on a free port, the model loaded and warm, under the load. */
async function hearthRun(library: ModelLibrary, modelId: string): Promise<Run> {
  const hearth = await startOpenAiServer({ library, port: 0, apiKey: null, slots: SLOTS, maxQueue: CLIENTS, idleMs: 0, backend: "cpu" });
  try {
    await warmUp(hearth.url, modelId);
    let peakWaiting = 0;
    const watch = setInterval(() => {
      peakWaiting = Math.max(peakWaiting, hearth.api.load.waiting);
    }, 100);
    const run = await load(hearth.url, modelId, hearth.api.engine.pid!);
    clearInterval(watch);
    return { ...run, peakWaiting };
  } finally {
    await hearth.close();
  }
}

/** llama-server with the same model, slots, context and threads, under the same load. */
async function llamaServerRun(binary: string, file: string): Promise<Run> {
  const server = await startLlamaServer(binary, file, { threads: THREADS, contextSize: CTX, slots: SLOTS });
  try {
    await warmUp(`${server.url}/v1`, "model");
    return { ...(await load(`${server.url}/v1`, "model", server.process.pid!)), peakWaiting: null };
  } finally {
    const exited = new Promise((resolve) => server.process.once("exit", resolve));
    server.process.kill("SIGTERM");
    await exited;
  }
}

/** One short reply first, so the model is loaded and warm before the clock starts. */
async function warmUp(base: string, model: string): Promise<void> {
  const reply = await stream(base, model, "Hello", 4);
  if (typeof reply === "string") throw new Error(`warm-up failed: ${reply}`);
}

/** CLIENTS clients, each asking again as soon as its reply ends, until the time is up. */
async function load(base: string, model: string, pid: number): Promise<Omit<Run, "peakWaiting">> {
  const replies: Reply[] = [];
  const errors: string[] = [];
  const rss: number[] = [];
  const sample = setInterval(() => rss.push(rssMiB(pid)), 1000);
  rss.push(rssMiB(pid));
  const started = performance.now();
  const deadline = started + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, client) => {
      for (let turn = 0; performance.now() < deadline; turn++) {
        // A different opening every time: no reply reuses another's prompt from a cache.
        const reply = await stream(base, model, `Client ${client}, question ${turn}: ${PROMPT}`, MAX_TOKENS);
        if (typeof reply === "string") errors.push(reply);
        else replies.push(reply);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sample);
  rss.push(rssMiB(pid));
  const tail = Math.max(1, Math.floor(rss.length / 6));
  return {
    replies,
    errors,
    seconds,
    rssMiB: { start: median(rss.slice(0, tail)), end: median(rss.slice(-tail)), peak: Math.max(...rss) },
  };
}

/** One streamed chat completion, timed by the client; an error as its text. */
async function stream(base: string, model: string, content: string, maxTokens: number): Promise<Reply | string> {
  const sent = performance.now();
  const ask = () =>
    fetch(`${base}/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        model,
        messages: [{ role: "user", content }],
        max_tokens: maxTokens,
        temperature: 0,
        stream: true,
        stream_options: { include_usage: true },
      }),
    });
  // A kept-alive connection the server closed as the request went out is the client's race, not
  // the server's failure: asked again once, on a new connection.
  const response = await ask().catch(() => ask().catch((error: Error) => error));
  if (response instanceof Error) return `no answer: ${String(response.cause ?? response.message)}`;
  if (!response.ok || !response.body) return `${response.status} ${(await response.text()).slice(0, 200)}`;
  let first: number | null = null;
  let tokens: number | null = null;
  let perSecond: number | null = null;
  let error: string | null = null;
  const parser = createParser({
    onEvent: ({ data }) => {
      if (data === "[DONE]") return;
      const event = JSON.parse(data) as {
        choices?: { delta?: { content?: string | null } }[];
        usage?: { completion_tokens: number };
        error?: { message: string };
        timings?: { predicted_per_second?: number };
        hearth?: { tokens_per_second: number | null };
      };
      const rate = event.timings?.predicted_per_second ?? event.hearth?.tokens_per_second;
      if (rate) perSecond = rate;
      if (event.error) error = event.error.message;
      if (event.choices?.[0]?.delta?.content) first ??= performance.now();
      if (event.usage) tokens = event.usage.completion_tokens;
    },
  });
  const decoder = new TextDecoder();
  const reader = response.body.getReader();
  for (let read = await reader.read(); !read.done; read = await reader.read()) parser.feed(decoder.decode(read.value, { stream: true }));
  if (error) return error;
  if (first === null || tokens === null) return "a reply without text or usage";
  return { ttftMs: first - sent, itlMs: perSecond ? 1000 / perSecond : null, tokens };
}

function p95Ttft(run: Run): number {
  return percentile(
    run.replies.map((r) => r.ttftMs),
    95,
  );
}

function throughput(run: Run): number {
  return run.replies.reduce((sum, r) => sum + r.tokens, 0) / run.seconds;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

function rssMiB(pid: number): number {
  try {
    const kb = /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
    return kb ? Number(kb) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

function print(side: string, run: Run): void {
  const ttft = run.replies.map((r) => r.ttftMs);
  const itl = run.replies.flatMap((r) => (r.itlMs === null ? [] : [r.itlMs]));
  const ms = (values: number[], p: number) => `${percentile(values, p).toFixed(0)} ms`;
  console.log(
    `  ${side.padEnd(12)} ${throughput(run).toFixed(1)} tok/s aggregate, ${run.replies.length} replies, ${run.errors.length} errors${run.errors.length ? ` (${run.errors[0]})` : ""}; time to first token p50 ${ms(ttft, 50)}, p95 ${ms(ttft, 95)}; inter-token p50 ${ms(itl, 50)}, p95 ${ms(itl, 95)}; engine memory ${run.rssMiB.start.toFixed(0)} → ${run.rssMiB.end.toFixed(0)} MiB (peak ${run.rssMiB.peak.toFixed(0)})${run.peakWaiting === null ? "" : `; up to ${run.peakWaiting} waiting for a slot`}`,
  );
}

const PROMPT = "Tell me a short story about a lighthouse keeper who finds a message in a bottle, and what she does next, in plain words a child could follow.";
