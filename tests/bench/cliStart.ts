/**
 * How fast `hearth` starts, side by side with bare node in one run: `--version`, `--help`,
 * `conversations list` over 1,000 conversations, and a one-shot 16-token chat on stories260K.
 * Rounds interleave the commands, so a busy moment of the machine falls on all of them alike.
 * Targets: --version and --help within 2x of `node -e 0`; the list under 300 ms; the chat under
 * 1 s. `BENCH_REPS` rounds (default 15).
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createCore } from "../../electron/core/createCore";
import { projectRoot, testModelPath } from "../support/testModel";
import { ensureFreshBuild, median } from "./benchSupport";

const REPS = Number(process.env.BENCH_REPS ?? 15);
const bin = path.join(projectRoot, "bin/hearth.mjs");

interface Case {
  name: string;
  args: string[];
  target: (ms: number, bare: number) => string;
}

export async function cliStart(): Promise<void> {
  ensureFreshBuild();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-clistart-"));
  try {
    const core = createCore({ dataDir, keychain: null });
    const model = await core.library.import(testModelPath, "reference");
    core.db.transaction(() => {
      for (let i = 0; i < 1000; i++) core.conversations.createConversation({ title: `Conversation ${i}`, modelId: model.id });
    })();
    await core.close();

    const hearth = (...args: string[]) => [bin, "--data-dir", dataDir, ...args];
    const cases: Case[] = [
      { name: "node -e 0", args: ["-e", "0"], target: () => "" },
      {
        name: "hearth --version",
        args: hearth("--version"),
        target: (ms, bare) => verdict(ms <= 2 * bare, `${(ms / bare).toFixed(2)}x bare node (target 2x)`),
      },
      { name: "hearth --help", args: hearth("--help"), target: (ms, bare) => verdict(ms <= 2 * bare, `${(ms / bare).toFixed(2)}x bare node (target 2x)`) },
      { name: "conversations list (1,000)", args: hearth("conversations", "list", "--limit", "1000"), target: (ms) => verdict(ms < 300, "target < 300 ms") },
      {
        name: "chat, 16 tokens, stories260K",
        args: hearth("chat", "--model", model.id, "--threads", "1", "--max-tokens", "16", "--seed", "1", "--prompt", "Once upon a time"),
        target: (ms) => verdict(ms < 1000, "target < 1 s"),
      },
    ];
    const times = new Map<string, number[]>(cases.map((c) => [c.name, []]));
    const rss = new Map<string, number[]>(cases.map((c) => [c.name, []]));
    for (const c of cases) run(c.args); // warm the page cache once
    for (let round = 0; round < REPS; round++) {
      for (const c of cases) {
        const { ms, rssKb } = run(c.args);
        times.get(c.name)!.push(ms);
        if (rssKb) rss.get(c.name)!.push(rssKb);
      }
    }
    const bare = median(times.get("node -e 0")!);
    console.log(`\ncliStart: ${REPS} interleaved rounds, medians (p90), peak RSS`);
    for (const c of cases) {
      const ms = median(times.get(c.name)!);
      const p90 = [...times.get(c.name)!].sort((a, b) => a - b)[Math.floor(REPS * 0.9)]!;
      const kb = rss.get(c.name)!.length ? `${Math.round(median(rss.get(c.name)!) / 1024)} MB` : "";
      console.log(`  ${c.name.padEnd(30)} ${ms.toFixed(0).padStart(5)} ms (${p90.toFixed(0)})  ${kb.padStart(7)}  ${c.target(ms, bare)}`);
    }
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Wall time of one run, and its peak RSS where GNU time is installed. */
function run(args: string[]): { ms: number; rssKb: number | null } {
  const timeTool = fs.existsSync("/usr/bin/time");
  const started = performance.now();
  const result = timeTool
    ? spawnSync("/usr/bin/time", ["-f", "%M", process.execPath, ...args], { encoding: "utf8", env: { ...process.env, NO_COLOR: "1", HEARTH_NO_KEYCHAIN: "1" } })
    : spawnSync(process.execPath, args, { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  const ms = performance.now() - started;
  if (result.status !== 0) throw new Error(`${args.join(" ")} failed: ${result.stderr}`);
  const rssKb = timeTool ? Number(result.stderr.trim().split("\n").at(-1)) : null;
  return { ms, rssKb: Number.isFinite(rssKb) ? rssKb : null };
}

function verdict(met: boolean, what: string): string {
  return `${met ? "met" : "NOT met"}: ${what}`;
}
