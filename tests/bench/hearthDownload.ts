/**
 * One download through Hearth's own path (hub file list, DownloadManager, SHA-256 while
 * streaming, verification, library), in a fresh process so its memory is its own.
 * Prints one JSON line: seconds, CPU seconds (all / in the kernel), bytes, status, RSS before and
 * at its peak. With PAUSE_MS, the download starts that long after the repo's files are listed,
 * as when a person reads the list before choosing (otherwise at once, as `hearth models pull`).
 *   node --import tsx tests/bench/hearthDownload.ts REPO FILE DATA_DIR [PAUSE_MS]   (HF_ENDPOINT set)
 */
import { createCore } from "../../electron/core/createCore";

const [repo, file, dataDir, pauseMs = "0"] = process.argv.slice(2);
if (!repo || !file || !dataDir) throw new Error("usage: hearthDownload.ts REPO FILE DATA_DIR [PAUSE_MS]");

const core = createCore({ dataDir });
const files = (await core.hub.listFiles(repo)).filter((f) => f.path === file);
await new Promise((resolve) => setTimeout(resolve, Number(pauseMs)));
global.gc?.();
const rssBefore = process.memoryUsage().rss;
let peak = rssBefore;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
const cpuBefore = process.cpuUsage();
const started = performance.now();
const download = await core.downloads.enqueue(repo, "bench", files);
const final = await core.downloads.waitFor(download.id);
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuBefore);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
const systemSeconds = cpu.system / 1e6;
clearInterval(sampler);
peak = Math.max(peak, process.memoryUsage().rss);
process.stdout.write(
  `${JSON.stringify({ seconds, cpuSeconds, systemSeconds, bytes: final.totalBytes, status: final.status, error: final.error, rssBefore, peakRss: peak })}\n`,
);
await core.close();
