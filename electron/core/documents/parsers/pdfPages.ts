import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { HearthError } from "../../../shared/errors";
import type { PageText } from "../parsedDocument";
import type { PagesReply, PagesTask } from "./pdfPagesWorker";

/** Pages a worker reads at least: below this, more workers cost more to start than they save. */
const PAGES_PER_WORKER = 50;
/** A worker with nothing to do for this long ends (a batch of documents keeps them busy). */
const IDLE_MS = 20_000;

interface PoolWorker {
  worker: Worker;
  busy: boolean;
  idle: NodeJS.Timeout | null;
}

const workers: PoolWorker[] = [];
const pending = new Map<number, { worker: Worker; resolve(pages: PageText[]): void; reject(error: Error): void }>();
const waiting: (() => void)[] = [];
let nextId = 0;

/** Workers at most: every core but none past four (each holds the PDF and pdf.js's state). */
const poolSize = () => Math.max(1, Math.min(4, os.availableParallelism()));

/**
 * The text of every page of a PDF, read in worker threads: the pages split in ranges, one range a
 * worker, as many workers as the PDF is long enough to keep busy. In page order.
 */
export async function readPdfPages(bytes: Uint8Array, name: string, pageCount: number): Promise<PageText[]> {
  const results = await Promise.all(pageRanges(pageCount, poolSize()).map(([from, to]) => run({ bytes, name, from, to })));
  return results.flat();
}

/** The pages cut into ranges (first and last page), one a worker: at most `workers`, each of PAGES_PER_WORKER pages or more. */
export function pageRanges(pageCount: number, workers: number): (readonly [number, number])[] {
  const parts = Math.max(1, Math.min(workers, Math.floor(pageCount / PAGES_PER_WORKER)));
  const size = Math.ceil(pageCount / parts);
  return Array.from({ length: parts }, (_, i) => [i * size + 1, Math.min(pageCount, (i + 1) * size)] as const).filter(([from, to]) => from <= to);
}

async function run(task: Omit<PagesTask, "id">): Promise<PageText[]> {
  const slot = await freeWorker();
  const id = nextId++;
  return new Promise<PageText[]>((resolve, reject) => {
    pending.set(id, { worker: slot.worker, resolve, reject });
    slot.worker.postMessage({ ...task, id } satisfies PagesTask);
  }).finally(() => release(slot));
}

async function freeWorker(): Promise<PoolWorker> {
  for (;;) {
    const free = workers.find((w) => !w.busy);
    if (free) {
      free.busy = true;
      if (free.idle) clearTimeout(free.idle);
      free.idle = null;
      free.worker.ref();
      return free;
    }
    if (workers.length < poolSize()) {
      const slot: PoolWorker = { worker: startWorker(), busy: true, idle: null };
      workers.push(slot);
      return slot;
    }
    await new Promise<void>((resolve) => waiting.push(resolve));
  }
}

function release(slot: PoolWorker): void {
  slot.busy = false;
  // An idle worker never keeps the process alive (the CLI ends when its work does).
  slot.worker.unref();
  slot.idle = setTimeout(() => stopWorker(slot), IDLE_MS);
  slot.idle.unref();
  waiting.shift()?.();
}

function stopWorker(slot: PoolWorker): void {
  workers.splice(workers.indexOf(slot), 1);
  void slot.worker.terminate();
}

/** From TypeScript sources (tests, the CLI through tsx) the worker runs through tsx; built, its bundled file. */
function startWorker(): Worker {
  const here = fileURLToPath(import.meta.url);
  const fromSource = here.endsWith(".ts");
  const entry = fromSource
    ? path.join(path.dirname(here), "pdfPagesWorker.ts")
    : [path.join(path.dirname(here), "pdfPagesWorker.js"), path.join(path.dirname(here), "../pdfPagesWorker.js")].find((file) => fs.existsSync(file))!;
  // A worker thread does not take tsx from --import: it registers tsx itself, then loads the source.
  const worker = fromSource
    ? new Worker(
        `import(${JSON.stringify(pathToFileURL(tsxEsmApi()).href)}).then(({ register }) => { register(); return import(${JSON.stringify(pathToFileURL(entry).href)}); });`,
        { eval: true },
      )
    : new Worker(entry);
  worker.on("message", (reply: PagesReply) => {
    const task = pending.get(reply.id);
    if (!task) return;
    pending.delete(reply.id);
    if ("pages" in reply) task.resolve(reply.pages);
    else task.reject(new HearthError("INVALID_INPUT", reply.error.message));
  });
  worker.on("error", (error) => {
    // A worker that dies fails what it held; the next task starts another.
    for (const [id, task] of pending) {
      if (task.worker !== worker) continue;
      pending.delete(id);
      task.reject(new HearthError("INTERNAL", `Reading the PDF failed: ${error.message}`));
    }
    const slot = workers.find((w) => w.worker === worker);
    if (slot) workers.splice(workers.indexOf(slot), 1);
  });
  return worker;
}

/** tsx's ESM register API (its CommonJS entry, which require.resolve finds, loads it from a wrong path). */
function tsxEsmApi(): string {
  return path.join(path.dirname(createRequire(import.meta.url).resolve("tsx/package.json")), "dist/esm/api/index.mjs");
}
