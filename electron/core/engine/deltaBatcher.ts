export type Segment = "answer" | "thought";

/**
 * Coalesces streamed text into at most one message per few milliseconds (and per segment), so a
 * fast model does not send hundreds of IPC messages a second. The first delta after a quiet spell
 * goes out at once, so batching never delays the first token. Order is preserved.
 */
export function createDeltaBatcher(emit: (text: string, segment: Segment) => void, intervalMs = 8) {
  let pending = "";
  let pendingSegment: Segment = "answer";
  let timer: NodeJS.Timeout | null = null;
  let lastEmit = -Infinity;

  const flush = () => {
    if (timer) {
      clearTimeout(timer);
      timer = null;
    }
    if (pending.length === 0) return;
    const text = pending;
    pending = "";
    lastEmit = performance.now();
    emit(text, pendingSegment);
  };

  return {
    push(text: string, segment: Segment) {
      if (segment !== pendingSegment) flush();
      pendingSegment = segment;
      pending += text;
      if (timer) return;
      const wait = lastEmit + intervalMs - performance.now();
      if (wait <= 0) flush();
      else timer = setTimeout(flush, wait);
    },
    flush,
  };
}
