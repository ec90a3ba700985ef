/**
 * Download throughput: Hearth's downloader against curl on the same loopback fake hub, for a
 * 1 GB synthetic model (1B, Q8_0) and a 0.5 GB one, to show memory stays flat as files grow.
 * Hearth is measured as the app starts a download and as `hearth models pull` does. Prints
 * throughput (median of BENCH_REPS rounds of curl and both), the cost a second hashing pass
 * would have added (Hearth hashes while streaming), CPU and peak memory.
 */
import { execFile, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { projectRoot } from "../support/testModel";
import { median, syntheticModel } from "./benchSupport";

const run = promisify(execFile);
const REPS = Number(process.env.BENCH_REPS ?? 3);
const REPO = "bench/synthetic-GGUF";
const MB = 1e6;
/**
 * Two ways a download starts: from the app, where the Download button sits in the repo's file
 * list, so the list was shown a moment before (the writer thread starts then); and as
 * `hearth models pull`, right after listing the files.
 */
type Flow = "app" | "pull";
const FLOWS: Flow[] = ["app", "pull"];
const FLOW_NAMES: Record<Flow, string> = {
  app: "from the app (Download pressed 1 s after the file list came)",
  pull: "as `hearth models pull` (download right after the list)",
};
const APP_PAUSE_MS = 1000;

export async function downloadSpeed(): Promise<void> {
  const big = await syntheticModel("1b", "q8_0");
  const half = await syntheticModel("1b", "q4_0");
  const hub = await startHubProcess([big, half]);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-dl-bench-"));
  try {
    console.log(`\ndownloadSpeed: loopback fake hub ${hub.url}, ${REPS} runs each, alternating (median)`);
    for (const file of [big, half]) {
      const name = path.basename(file);
      const size = fs.statSync(file).size;
      const url = `${hub.url}/${REPO}/resolve/main/${name}`;
      const curlSeconds: number[] = [];
      const runs = new Map<Flow, HearthRun[]>(FLOWS.map((flow) => [flow, []]));
      await curl(url, path.join(work, "warm")); // bring the file into the page cache for both
      for (let rep = 0; rep < REPS; rep++) {
        await settle();
        curlSeconds.push(await curl(url, path.join(work, "curl.gguf")));
        for (const flow of FLOWS) {
          await settle();
          const dataDir = path.join(work, `hearth-${rep}`);
          const result = await hearthDownload(hub.url, name, dataDir, flow === "app" ? APP_PAUSE_MS : 0);
          if (result.status !== "done") throw new Error(`Hearth's download ended ${result.status}: ${JSON.stringify(result.error)}`);
          runs.get(flow)!.push(result);
          fs.rmSync(dataDir, { recursive: true, force: true });
        }
      }
      const hashStarted = performance.now();
      const hash = createHash("sha256");
      for await (const chunk of fs.createReadStream(file, { highWaterMark: 256 << 10 })) hash.update(chunk as Buffer);
      hash.digest();
      const secondPass = (performance.now() - hashStarted) / 1000;
      const curlRate = size / median(curlSeconds) / MB;
      const perGb = (seconds: number[]) => (median(seconds) / (size / 1e9)).toFixed(2);
      console.log(`  ${name} (${(size / MB).toFixed(0)} MB)`);
      console.log(`    curl    ${curlRate.toFixed(0)} MB/s  (${curlSeconds.map((s) => s.toFixed(2)).join(", ")} s)`);
      for (const flow of FLOWS) {
        const results = runs.get(flow)!;
        const seconds = results.map((r) => r.seconds);
        const rate = size / median(seconds) / MB;
        // Each round runs curl, then Hearth both ways: a round's ratio compares them under the same conditions.
        const pairRatio = median(curlSeconds.map((c, i) => c / seconds[i]!));
        console.log(`    Hearth, ${FLOW_NAMES[flow]}`);
        console.log(`            ${rate.toFixed(0)} MB/s  (${seconds.map((s) => s.toFixed(2)).join(", ")} s), SHA-256 verified while streaming`);
        console.log(
          `            ${((rate / curlRate) * 100).toFixed(1)}% of curl (medians), ${(pairRatio * 100).toFixed(1)}% median of rounds  (target: at least 90%)`,
        );
        console.log(
          `            CPU ${perGb(results.map((r) => r.cpuSeconds))} s per GB over its threads (receive, write, hash), ${perGb(results.map((r) => r.systemSeconds))} of it in the kernel`,
        );
        // The app flow's "before" already holds the writer thread and its ring, started with the list.
        const before = median(results.map((r) => r.rssBefore)) / MB;
        const peak = median(results.map((r) => r.peakRss)) / MB;
        console.log(
          `            memory: RSS ${before.toFixed(0)} MB before the download, peak ${peak.toFixed(0)} MB (growth ${(peak - before).toFixed(0)} MB)`,
        );
      }
      console.log(
        `    a second SHA-256 pass over the file would add ${secondPass.toFixed(2)} s; Hearth does none (this machine has ${os.availableParallelism()} cores, shared with the hub)`,
      );
    }
  } finally {
    hub.stop();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/**
 * Lets the previous run's gigabyte reach the disk (and its deletion finish) before the next run
 * starts, so neither client is measured while the kernel flushes the other's file.
 */
async function settle(): Promise<void> {
  await run("sync");
  await new Promise((resolve) => setTimeout(resolve, 1000));
}

async function curl(url: string, out: string): Promise<number> {
  const { stdout } = await run("curl", ["-s", "-f", "-o", out, "-w", "%{time_total}", url]);
  fs.rmSync(out, { force: true });
  return Number(stdout);
}

interface HearthRun {
  seconds: number;
  cpuSeconds: number;
  systemSeconds: number;
  status: string;
  error: unknown;
  peakRss: number;
  rssBefore: number;
}

async function hearthDownload(hubUrl: string, file: string, dataDir: string, pauseMs: number): Promise<HearthRun> {
  const { stdout } = await run(
    process.execPath,
    ["--expose-gc", "--import", "tsx", path.join(projectRoot, "tests/bench/hearthDownload.ts"), REPO, file, dataDir, String(pauseMs)],
    {
      cwd: projectRoot,
      env: { ...process.env, HF_ENDPOINT: hubUrl },
    },
  );
  return JSON.parse(stdout.trim().split("\n").at(-1)!) as HearthRun;
}

/** The fake hub in a process of its own, so serving does not share a thread with either client. */
async function startHubProcess(files: string[]): Promise<{ url: string; stop(): void }> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", path.join(projectRoot, "tests/support/fakeHubServer.mts"), "--in-memory", ...files.map((f) => `${REPO}=${f}`)],
    {
      cwd: projectRoot,
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.once("data", (chunk: Buffer) => resolve(chunk.toString().trim().split("\n")[0]!));
    child.once("exit", (code) => reject(new Error(`fake hub exited with ${code}`)));
  });
  return { url, stop: () => child.kill("SIGTERM") };
}
