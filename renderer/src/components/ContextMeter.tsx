import type { Message } from "../../../electron/shared/contract";
import { cn } from "../lib/cn";

const WARN_AT = 0.8;
// One formatter: `toLocaleString` builds a new one per call, and the meter updates every frame of a reply.
const count = new Intl.NumberFormat();

/** How full the context is after the last reply, with a warning before anything has to be dropped. */
export function ContextMeter({ contextSize, lastReply, streamedChars }: { contextSize: number | null; lastReply: Message | null; streamedChars: number }) {
  if (!contextSize) return null;
  // While a reply streams, about four characters make a token: close enough for a meter.
  const used = (lastReply?.promptTokens ?? 0) + (lastReply?.completionTokens ?? 0) + Math.round(streamedChars / 4);
  const fraction = Math.min(1, used / contextSize);
  const dropped = lastReply?.droppedMessages ?? 0;
  const warn = fraction >= WARN_AT || dropped > 0;
  const title =
    dropped > 0
      ? `${dropped} older message(s) were left out of the last reply's prompt`
      : warn
        ? "The context is nearly full: the oldest messages will be left out of the next reply"
        : `${used} of ${contextSize} tokens`;
  return (
    // biome-ignore lint/a11y/useSemanticElements: a styled bar; <meter> draws itself differently in every browser
    <div
      data-testid="context-meter"
      className="flex items-center gap-2 text-xs text-fg-muted"
      title={title}
      role="meter"
      aria-valuemin={0}
      aria-valuemax={contextSize}
      aria-valuenow={Math.min(used, contextSize)}
      aria-label={`Context ${Math.round(fraction * 100)}% full`}
    >
      <div className="h-1.5 w-24 overflow-hidden rounded bg-muted">
        <div className={cn("h-full", warn ? "bg-danger" : "bg-accent")} style={{ width: `${fraction * 100}%` }} />
      </div>
      <span className="tabular-nums">
        {count.format(used)} / {count.format(contextSize)}
      </span>
      {warn && <span className="text-danger">{dropped > 0 ? `${dropped} older message(s) left out` : "nearly full"}</span>}
    </div>
  );
}
