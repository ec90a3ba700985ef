import { memo, useState } from "react";
import { ChevronLeft, ChevronRight, Pencil, RefreshCw, StepForward } from "lucide-react";
import type { Message } from "../../../electron/shared/contract";
import type { Citation } from "../../../electron/shared/documents";
import { CitationContext } from "./documents/CitationRef";
import { Sources } from "./documents/Sources";
import { COMPOSER_ID, focusSoon } from "../lib/shortcuts";
import { Button } from "./ui/Button";
import { CopyButton } from "./ui/CopyButton";
import { Markdown } from "./Markdown";

interface Props {
  message: Message;
  /** Live text while this reply streams. */
  streamingText?: string;
  streamingThinking?: string;
  branch: { index: number; count: number };
  busy: boolean;
  onRegenerate(message: Message): void;
  onEdit(message: Message, text: string): void;
  onSwitchBranch(message: Message, step: -1 | 1): void;
  /** Writes on from where this reply stopped (given for the branch's last message only). */
  onContinue?(message: Message): void;
  /** Opens the page a cited passage is on. */
  onOpenCitation?(citation: Citation): void;
}

export const MessageItem = memo(function MessageItem({
  message,
  streamingText,
  streamingThinking,
  branch,
  busy,
  onRegenerate,
  onEdit,
  onSwitchBranch,
  onContinue,
  onOpenCitation,
}: Props) {
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(message.content);
  const streaming = streamingText !== undefined;
  const content = streamingText ?? message.content;
  const thinking = streamingThinking || message.thinking;
  const isUser = message.role === "user";

  return (
    <article
      data-testid="message"
      aria-label={isUser ? "You" : `Assistant${message.modelName ? ` (${message.modelName})` : ""}`}
      data-role={message.role}
      data-status={streaming ? "streaming" : message.status}
      className={isUser ? "ml-auto max-w-[85%]" : "max-w-full"}
    >
      <div className={isUser ? "rounded-lg bg-muted px-3 py-2" : "px-1"}>
        {thinking && (
          <details className="mb-2 text-sm text-fg-muted">
            <summary className="cursor-pointer select-none">Thinking</summary>
            <div className="mt-1 whitespace-pre-wrap border-l-2 border-border pl-3">{thinking}</div>
          </details>
        )}
        {editing ? (
          <form
            onSubmit={(event) => {
              event.preventDefault();
              if (draft.trim()) onEdit(message, draft);
              setEditing(false);
              focusSoon(COMPOSER_ID);
            }}
          >
            <textarea
              aria-label="Edit message"
              // biome-ignore lint/a11y/noAutofocus: Edit was just pressed; the text to change is where the reader's attention is
              autoFocus
              className="w-full rounded border border-border bg-bg p-2"
              value={draft}
              onChange={(e) => setDraft(e.target.value)}
              // As in the message box: Enter sends, Shift Enter is a new line; Escape leaves the message as it was.
              onKeyDown={(e) => {
                if (e.key === "Escape") {
                  e.stopPropagation();
                  setEditing(false);
                } else if (e.key === "Enter" && !e.shiftKey && !e.nativeEvent.isComposing) {
                  e.preventDefault();
                  e.currentTarget.form?.requestSubmit();
                }
              }}
              rows={3}
            />
            <div className="mt-1 flex gap-2">
              <Button type="submit" size="sm" variant="primary">
                Save and send
              </Button>
              <Button size="sm" variant="ghost" onClick={() => setEditing(false)}>
                Cancel
              </Button>
            </div>
          </form>
        ) : isUser ? (
          <Markdown text={content} typed />
        ) : message.citations?.length && onOpenCitation ? (
          <CitationContext.Provider value={{ citations: message.citations, open: onOpenCitation }}>
            <Markdown text={content} citations={message.citations.length} />
          </CitationContext.Provider>
        ) : (
          <Markdown text={content} />
        )}
        {!streaming && message.citations && message.citations.length > 0 && onOpenCitation && <Sources citations={message.citations} onOpen={onOpenCitation} />}
        {message.status === "interrupted" && !streaming && (
          <p className="mt-1 text-xs text-danger">Interrupted{message.errorCode ? ` (${message.errorCode})` : ""}: the text above is what was saved.</p>
        )}
      </div>
      <div className="mt-1 flex items-center gap-1 text-xs text-fg-muted">
        {branch.count > 1 && (
          // biome-ignore lint/a11y/useSemanticElements: a row of branch buttons, not a form's fieldset
          <span className="flex items-center" role="group" aria-label="Branches">
            <Button size="icon" variant="ghost" aria-label="Previous branch" disabled={busy || branch.index === 0} onClick={() => onSwitchBranch(message, -1)}>
              <ChevronLeft size={14} />
            </Button>
            <span data-testid="branch-position" className="tabular-nums">
              {branch.index + 1}/{branch.count}
            </span>
            <Button
              size="icon"
              variant="ghost"
              aria-label="Next branch"
              disabled={busy || branch.index === branch.count - 1}
              onClick={() => onSwitchBranch(message, 1)}
            >
              <ChevronRight size={14} />
            </Button>
          </span>
        )}
        <Timestamp at={message.createdAt} />
        {!streaming && <CopyButton text={message.content} />}
        {isUser && !busy && (
          <Button
            size="icon"
            variant="ghost"
            aria-label="Edit"
            onClick={() => {
              setDraft(message.content);
              setEditing(true);
            }}
          >
            <Pencil size={14} />
          </Button>
        )}
        {!isUser && !streaming && !busy && (
          <Button size="icon" variant="ghost" aria-label="Regenerate" onClick={() => withComposerFocus(() => onRegenerate(message))}>
            <RefreshCw size={14} />
          </Button>
        )}
        {onContinue && !isUser && !streaming && !busy && (message.stopReason === "maxTokens" || message.stopReason === "aborted") && (
          <Button size="sm" variant="ghost" title="Write on from where this reply stopped" onClick={() => withComposerFocus(() => onContinue(message))}>
            <StepForward size={14} /> Continue
          </Button>
        )}
        {!isUser && !streaming && <Stats message={message} />}
      </div>
    </article>
  );
});

/**
 * Runs an action that starts a reply, then puts the focus in the message box: the button pressed
 * goes away while the reply streams, and from the box Escape stops it.
 */
function withComposerFocus(action: () => void): void {
  action();
  focusSoon(COMPOSER_ID);
}

function Stats({ message }: { message: Message }) {
  const parts = [
    message.tokensPerSecond !== null ? `${message.tokensPerSecond.toFixed(1)} tok/s` : null,
    message.timeToFirstTokenMs !== null ? `${Math.round(message.timeToFirstTokenMs)} ms to first token` : null,
    message.completionTokens !== null ? `${message.completionTokens} tokens` : null,
    message.stopReason ? `stop: ${message.stopReason}` : null,
    message.modelName,
  ].filter(Boolean);
  if (parts.length === 0) return null;
  return (
    <span data-testid="message-stats" className="ml-1 tabular-nums">
      {parts.join(" · ")}
    </span>
  );
}

const timeOnly = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });
const dateAndTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
const full = new Intl.DateTimeFormat(undefined, { dateStyle: "full", timeStyle: "medium" });

/** When a message was written: the time today, the date too on other days; the full date on hover. */
function Timestamp({ at }: { at: number }) {
  const date = new Date(at);
  const today = date.toDateString() === new Date().toDateString();
  return (
    <time dateTime={date.toISOString()} title={full.format(date)} className="px-1 tabular-nums">
      {(today ? timeOnly : dateAndTime).format(date)}
    </time>
  );
}

/** Copies a message's text, and says so (a check and "Copied" for a moment). */
