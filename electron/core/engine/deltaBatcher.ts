export type Segment = "answer" | "thought";

/**
 * Coalesces streamed text into one message per few milliseconds (and per segment), so a fast
 * model does not send hundreds of IPC messages a second. Order is preserved.
 */
export function createDeltaBatcher(emit: (text: string, segment: Segment) => void, intervalMs = 8) {
  let pending = "";
  let pendingSegment: Segment = "answer";
  let timer: NodeJS.Timeout | null = null;

  const flush = () => {
    if (timer) {
      clearTimeout(timer);
      timer = null;
    }
    if (pending.length === 0) return;
    const text = pending;
    pending = "";
    emit(text, pendingSegment);
  };

  return {
    push(text: string, segment: Segment) {
      if (segment !== pendingSegment) flush();
      pendingSegment = segment;
      pending += text;
      timer ??= setTimeout(flush, intervalMs);
    },
    flush,
  };
}
