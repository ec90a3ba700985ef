import type { Root } from "hast";
import { markdownToHast } from "./markdownHast";

type Reply = { id: number; tree?: Root; error?: string };

let worker: Worker | null | undefined;
let nextId = 0;
const waiting = new Map<number, (tree: Root) => void>();
const texts = new Map<number, string>();

/** Where a worker cannot start (or dies), parsing falls back to the main thread: slower, never broken. */
function parseHere(id: number): void {
  const text = texts.get(id)!;
  const resolve = waiting.get(id)!;
  texts.delete(id);
  waiting.delete(id);
  resolve(markdownToHast(text));
}

function getWorker(): Worker | null {
  if (worker !== undefined) return worker;
  try {
    worker = new Worker(new URL("./markdownWorker.ts", import.meta.url), { type: "module" });
    worker.onmessage = (event: MessageEvent<Reply>) => {
      const { id, tree } = event.data;
      if (!tree) return parseHere(id);
      texts.delete(id);
      const resolve = waiting.get(id);
      waiting.delete(id);
      resolve?.(tree);
    };
    worker.onerror = (event) => {
      console.warn(`Markdown worker stopped (${event.message}); parsing on the main thread instead.`);
      worker = null;
      for (const id of [...waiting.keys()]) parseHere(id);
    };
  } catch {
    worker = null;
  }
  return worker;
}

function parseOffThread(text: string): Promise<Root> {
  const id = nextId++;
  return new Promise((resolve) => {
    waiting.set(id, resolve);
    texts.set(id, text);
    const target = getWorker();
    if (target) target.postMessage({ id, text });
    else queueMicrotask(() => parseHere(id));
  });
}

/**
 * Parses the newest text given, skipping versions that went stale while one was being parsed:
 * a reply growing faster than it can be parsed shows its latest state, never a backlog.
 */
export function latestParser(onTree: (text: string, tree: Root) => void): (text: string) => void {
  let busy = false;
  let pending: string | null = null;
  const run = (text: string) => {
    busy = true;
    void parseOffThread(text).then((tree) => {
      onTree(text, tree);
      busy = false;
      if (pending !== null) {
        const next = pending;
        pending = null;
        run(next);
      }
    });
  };
  return (text) => {
    if (busy) pending = text;
    else run(text);
  };
}
