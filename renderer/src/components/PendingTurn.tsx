import type { EngineState } from "../../../electron/shared/contract";
import { Markdown } from "./Markdown";

/**
 * A message sent while its chat cannot start yet (the engine starting, the model loading): shown
 * at once, with where the reply stands, so Enter is never followed by nothing. A message that
 * could not be sent stays on screen with its text (the error says why).
 */
export function PendingTurn({ text, failed, engine }: { text: string; failed: boolean; engine: EngineState | null }) {
  const loading = engine?.status === "loading";
  const progress = engine?.loadProgress ?? 0;
  return (
    <div className="mx-auto w-full max-w-3xl space-y-3 px-4 py-3" data-testid="pending-turn">
      <div className="ml-auto max-w-[85%] rounded-lg bg-muted px-3 py-2">
        <Markdown text={text} typed />
      </div>
      <div role="status" aria-live="polite" className="flex items-center gap-2 px-1 text-sm text-fg-muted">
        {failed ? (
          <span className="text-danger">Not sent: the message is kept above.</span>
        ) : loading ? (
          <>
            <span>Loading {engine?.model?.name ?? "the model"}…</span>
            <progress className="h-1.5 w-40 accent-accent" max={1} value={progress} aria-label="Model loading" />
            <span className="tabular-nums">{Math.round(progress * 100)}%</span>
          </>
        ) : (
          <span className="animate-pulse">
            {engine?.status === "starting" || engine?.status === "stopped" ? "Starting the engine…" : "Waiting for the reply…"}
          </span>
        )}
      </div>
    </div>
  );
}
