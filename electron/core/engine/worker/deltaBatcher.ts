import { STREAM_BATCH_MS } from "../../../shared/defaults";

export type Segment = "answer" | "thought";

/**
 * Coalesces streamed text into at most one message per 100 ms and per segment. Each message wakes
 * two processes (the engine to send, the host to take it in), and on a 2-core machine that work
 * slows the model's evaluation running beside it (measured: docs/PERFORMANCE.md).
 * Ten updates a second of a few tokens each still reads as streaming; the reply's first delta
 * goes out at once (it is the time to first token). Later ones never go synchronously inside
 * `push`, which is called between one token and the evaluation of the next: a send there
 * (serializing, a write to the pipe) would hold that evaluation back, while on the next turn of the
 * event loop it runs as the evaluation does, on another thread. After a quiet spell that is at
 * once; within the interval, at its end.
 */
export function createDeltaBatcher(emit: (text: string, segment: Segment, tokens: number) => void, intervalMs = STREAM_BATCH_MS) {
  let pending = "";
  let pendingTokens = 0;
  let pendingSegment: Segment = "answer";
  let timer: NodeJS.Timeout | null = null;
  let immediate: NodeJS.Immediate | null = null;
  let lastEmit = -Infinity;

  const flush = () => {
    if (timer) clearTimeout(timer);
    if (immediate) clearImmediate(immediate);
    timer = null;
    immediate = null;
    if (pending.length === 0) return;
    const text = pending;
    const tokens = pendingTokens;
    pending = "";
    pendingTokens = 0;
    lastEmit = performance.now();
    emit(text, pendingSegment, tokens);
  };

  return {
    /** `tokens`: how many tokens the text came from, so the host can show live speed. */
    push(text: string, segment: Segment, tokens = 0) {
      if (segment !== pendingSegment) flush();
      pendingSegment = segment;
      pending += text;
      pendingTokens += tokens;
      if (timer || immediate) return;
      if (lastEmit === -Infinity) return flush();
      const wait = lastEmit + intervalMs - performance.now();
      if (wait <= 0) immediate = setImmediate(flush);
      else timer = setTimeout(flush, wait);
    },
    /** Sends what waits now (the end of a reply). */
    flush,
  };
}
