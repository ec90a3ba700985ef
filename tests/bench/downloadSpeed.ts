/**
 * Download speed, CPU and memory of Hearth's downloader (undici, ranged connections, SHA-256
 * following the written prefix), against curl on the same fake hub on loopback:
 * - a hub that caps each connection (as CDNs do) at BENCH_CAP_MBPS (20 MB/s): one connection
 *   against four on a 1 GB file (target: four at least 3.5x one);
 * - an uncapped hub: Hearth's four connections against curl (target: at least 80% of curl), on
 *   the 1 GB file and a 0.55 GB one (memory must not grow with the file), with CPU per GB
 *   (target: at most 1 CPU-second of Hearth's own work; the kernel's cost of writing the bytes,
 *   paid by curl as well, is printed beside it).
 * Rounds alternate the clients; figures are medians of BENCH_REPS rounds.
 */
import { execFile, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { projectRoot } from "../support/testModel";
import { ensureFreshBuild, median, syntheticModel } from "./benchSupport";

const run = promisify(execFile);
const REPS = Number(process.env.BENCH_REPS ?? 3);
const CAP_MBPS = Number(process.env.BENCH_CAP_MBPS ?? 20);
const REPO = "bench/synthetic-GGUF";
const MB = 1e6;

export async function downloadSpeed(): Promise<void> {
  ensureFreshBuild();
  const big = await syntheticModel("1b", "q8_0");
  const half = await syntheticModel("1b", "q4_0");
  const free = await startHubProcess([big, half]);
  const capped = await startHubProcess([big], CAP_MBPS * MB);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-dl-bench-"));
  const seconds = (runs: Run[]) => median(runs.map((r) => r.seconds));
  const rate = (size: number, runs: Run[]) => size / seconds(runs) / MB;
  try {
    console.log(`\ndownloadSpeed: fake hub on loopback, ${REPS} rounds each, alternating (medians); ${os.availableParallelism()} cores, shared with the hub`);
    const name = path.basename(big);
    const size = fs.statSync(big).size;
    console.log(`\n  ${name} (${(size / MB).toFixed(0)} MB), each connection capped at ${CAP_MBPS} MB/s`);
    const one: Run[] = [];
    const four: Run[] = [];
    for (let rep = 0; rep < REPS; rep++) {
      await settle();
      one.push(await hearthDownload(capped.url, name, path.join(work, "hearth"), 1));
      await settle();
      four.push(await hearthDownload(capped.url, name, path.join(work, "hearth"), 4));
    }
    const speedup = rate(size, four) / rate(size, one);
    console.log(`    1 connection   ${rate(size, one).toFixed(1)} MB/s  (${one.map((r) => r.seconds.toFixed(1)).join(", ")} s)`);
    console.log(`    4 connections  ${rate(size, four).toFixed(1)} MB/s  (${four.map((r) => r.seconds.toFixed(1)).join(", ")} s)`);
    console.log(`    speed-up ${speedup.toFixed(2)}x  (target: at least 3.5x) ${speedup >= 3.5 ? "met" : "NOT met"}`);

    // Two sizes: CPU and memory that grow with the file, apart from what a process costs once
    // (starting, listing the repo, loading node-llama-cpp to read the model's header).
    const uncapped: { size: number; hearth: HearthRun[] }[] = [];
    for (const file of [big, half]) {
      const name = path.basename(file);
      const size = fs.statSync(file).size;
      const url = `${free.url}/${REPO}/resolve/main/${name}`;
      const curls: Run[] = [];
      const hearths: HearthRun[] = [];
      await curl(url, path.join(work, "warm")); // the hub's first answer of a file, for neither side
      for (let rep = 0; rep < REPS; rep++) {
        await settle();
        curls.push(await curl(url, path.join(work, "curl.gguf")));
        await settle();
        hearths.push(await hearthDownload(free.url, name, path.join(work, "hearth"), 4));
      }
      uncapped.push({ size, hearth: hearths });
      const ratio = rate(size, hearths) / rate(size, curls);
      const cpu = (runs: Run[], key: "userSeconds" | "systemSeconds") => median(runs.map((r) => r[key])).toFixed(2);
      console.log(`\n  ${name} (${(size / MB).toFixed(0)} MB), uncapped, 4 connections`);
      console.log(`    curl    ${rate(size, curls).toFixed(0)} MB/s  (${curls.map((r) => r.seconds.toFixed(2)).join(", ")} s)`);
      console.log(`    Hearth  ${rate(size, hearths).toFixed(0)} MB/s  (${hearths.map((r) => r.seconds.toFixed(2)).join(", ")} s), SHA-256 verified`);
      console.log(`            ${(ratio * 100).toFixed(1)}% of curl  (target: at least 80%) ${ratio >= 0.8 ? "met" : "NOT met"}`);
      console.log(
        `            CPU of the whole pull: ${cpu(hearths, "userSeconds")} s user, ${cpu(hearths, "systemSeconds")} s kernel; curl ${cpu(curls, "userSeconds")} s user, ${cpu(curls, "systemSeconds")} s kernel`,
      );
      console.log(`            peak RSS of the whole pull ${(median(hearths.map((r) => r.peakRss)) / MB).toFixed(0)} MB`);
    }
    const [large, small] = uncapped as [(typeof uncapped)[0], (typeof uncapped)[0]];
    const gb = (large.size - small.size) / 1e9;
    const slope = (pick: (r: HearthRun) => number) => (median(large.hearth.map(pick)) - median(small.hearth.map(pick))) / gb;
    const perGb = slope((r) => r.userSeconds);
    const memoryPerGb = slope((r) => r.peakRss) / MB;
    console.log(`\n  what grows with the file (1 GB minus 0.55 GB runs, per GB):`);
    console.log(
      `    CPU ${perGb.toFixed(2)} s user (receive, SHA-256, write; target at most 1) ${perGb <= 1 ? "met" : "NOT met"}, ${slope((r) => r.systemSeconds).toFixed(2)} s kernel`,
    );
    console.log(`    memory ${memoryPerGb.toFixed(0)} MB (flat: ${Math.abs(memoryPerGb) < 32 ? "yes" : "NO"})`);
  } finally {
    free.stop();
    capped.stop();
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

interface Run {
  seconds: number;
  userSeconds: number;
  systemSeconds: number;
}

/** curl's time and CPU (bash's `time` reports the child's user and kernel seconds). */
async function curl(url: string, out: string): Promise<Run> {
  const { stdout, stderr } = await run("bash", ["-c", 'TIMEFORMAT="%U %S"; time curl -s -f -o "$1" -w "%{time_total}" "$2"', "curl", out, url]);
  fs.rmSync(out, { force: true });
  const [userSeconds, systemSeconds] = stderr.trim().split("\n").at(-1)!.split(" ").map(Number);
  return { seconds: Number(stdout), userSeconds: userSeconds!, systemSeconds: systemSeconds! };
}

interface HearthRun extends Run {
  /** Peak resident memory of the whole `hearth models pull` process. */
  peakRss: number;
}

/**
 * One `hearth models pull` of the built CLI, as a user runs it (a fresh process and data folder):
 * the download's own seconds (from its JSON), and the process's CPU and peak memory.
 */
async function hearthDownload(hubUrl: string, file: string, dataDir: string, connections: number): Promise<HearthRun> {
  fs.rmSync(dataDir, { recursive: true, force: true });
  const cli = path.join(projectRoot, "bin/hearth.mjs");
  const args = [
    "-f",
    "%U %S %M",
    process.execPath,
    cli,
    "--data-dir",
    dataDir,
    "models",
    "pull",
    `${REPO}:${file}`,
    "--connections",
    String(connections),
    "--json",
  ];
  const { stdout, stderr } = await run("/usr/bin/time", args, { env: { ...process.env, HF_ENDPOINT: hubUrl, HEARTH_NO_KEYCHAIN: "1" } });
  fs.rmSync(dataDir, { recursive: true, force: true });
  const result = JSON.parse(stdout) as { seconds: number; sha256Verified: boolean };
  if (!result.sha256Verified) throw new Error("the download was not verified");
  const [userSeconds, systemSeconds, maxKb] = stderr.trim().split("\n").at(-1)!.split(" ").map(Number);
  return { seconds: result.seconds, userSeconds: userSeconds!, systemSeconds: systemSeconds!, peakRss: maxKb! * 1024 };
}

/** The fake hub in a process of its own, so serving does not share a thread with either client. */
async function startHubProcess(files: string[], throttle?: number): Promise<{ url: string; stop(): void }> {
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      path.join(projectRoot, "tests/support/fakeHubServer.mts"),
      "--in-memory",
      ...(throttle ? ["--throttle", String(throttle)] : []),
      ...files.map((f) => `${REPO}=${f}`),
    ],
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
