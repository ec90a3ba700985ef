import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { HearthError } from "../../../shared/errors";
import type { PageText } from "../parsedDocument";
import type { PagesReply, PagesTask } from "./pdfPagesWorker";

/** A worker with nothing to do for this long ends (a batch of documents keeps them busy). */
const IDLE_MS = 20_000;

interface PoolWorker {
  worker: Worker;
  busy: boolean;
  idle: NodeJS.Timeout | null;
}

const workers: PoolWorker[] = [];
interface Pending {
  worker: Worker;
  onPages(pages: PageText[]): void;
  resolve(pageCount: number): void;
  reject(error: Error): void;
}
const pending = new Map<number, Pending>();
const waiting: (() => void)[] = [];
let nextId = 0;

/** Workers at most: every core but none past four (each holds the PDF and PDFium's state). */
const poolSize = () => Math.max(1, Math.min(4, os.availableParallelism()));

/**
 * The text of every page of a PDF, read in worker threads: each worker reads a range of the
 * pages, as many workers as the PDF is long enough to keep busy. In page order; `onPages` hears
 * each batch as it comes (in no set order). A broken or encrypted file fails with its own clear
 * error.
 */
export async function readPdfPages(bytes: Uint8Array, name: string, onPages?: (pages: PageText[]) => void): Promise<PageText[]> {
  const pages: PageText[] = [];
  let received = 0;
  // A listener that fails fails the read (once every worker is done), not the process.
  const failures: unknown[] = [];
  // Once the read has failed (one worker's error ends it at once), the others' late batches are not heard.
  let settled = false;
  const parts = poolSize();
  // Every worker opens the file and takes its share (none, for a short PDF): no trip to count the pages first.
  const [pageCount] = await Promise.all(
    Array.from({ length: parts }, (_, part) =>
      run({ bytes, name, part, parts }, (batch) => {
        for (const page of batch) pages[page.page - 1] = page;
        received += batch.length;
        if (settled || failures.length > 0) return;
        try {
          onPages?.(batch);
        } catch (error) {
          failures.push(error);
        }
      }),
    ),
  ).finally(() => {
    settled = true;
  });
  if (failures.length > 0) throw failures[0];
  if (received !== pageCount || pages.length !== pageCount) throw new HearthError("INTERNAL", `Reading ${name} lost pages.`);
  return pages;
}

async function run(task: Omit<PagesTask, "id">, onPages: (pages: PageText[]) => void): Promise<number> {
  const slot = await freeWorker();
  const id = nextId++;
  return new Promise<number>((resolve, reject) => {
    pending.set(id, { worker: slot.worker, onPages, resolve, reject });
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
    if ("pages" in reply) return task.onPages(reply.pages);
    pending.delete(reply.id);
    if ("pageCount" in reply) task.resolve(reply.pageCount);
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
