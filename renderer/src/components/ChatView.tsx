import { startTransition, useCallback, useDeferredValue, useEffect, useLayoutEffect, useRef } from "react";
import { useVirtualizer } from "@tanstack/react-virtual";
import type { Message } from "../../../electron/shared/contract";
import type { Citation } from "../../../electron/shared/documents";
import { rangeToRead, type LoadedBranch } from "../lib/branchWindow";
import { MessageItem } from "./MessageItem";

interface Props {
  branch: LoadedBranch;
  streaming: { messageId: string; text: string; thinking: string } | null;
  onNeedRange(start: number, end: number): void;
  onRegenerate(message: Message): void;
  onEdit(message: Message, text: string): void;
  onSwitchBranch(message: Message, step: -1 | 1): void;
  onContinue(message: Message): void;
  onOpenCitation(citation: Citation): void;
}

const ESTIMATED_HEIGHT = 120;
/** A reader this close to the end (px) is following the reply. */
const FOLLOW_WITHIN = 200;

/**
 * The shown branch, virtualized so a conversation of thousands of messages stays smooth. Only the
 * end of a long branch is read when it opens; rows scrolled to are read as they come into view.
 */
export function ChatView({ branch, streaming: latest, onNeedRange, onRegenerate, onEdit, onSwitchBranch, onContinue, onOpenCitation }: Props) {
  // A growing reply renders in the background, in slices React can interrupt, so it never holds up input.
  const streaming = useDeferredValue(latest);
  const scroller = useRef<HTMLDivElement>(null);
  // Opens at the end, where the conversation continues, so the first render is the one shown.
  const virtualizer = useVirtualizer({
    count: branch.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ESTIMATED_HEIGHT,
    overscan: 4,
    initialOffset: () => branch.length * ESTIMATED_HEIGHT,
    // The list fills most of the window: with this guess the first render already holds the rows in
    // view, instead of one row and then, once the list is measured, all the others in one long task.
    initialRect: { width: 0, height: window.innerHeight },
    // Measurements are batched into one render instead of a synchronous render per measured row.
    useFlushSync: false,
  });
  // Rows are measured as they mount; the re-render that follows runs in interruptible slices
  // rather than inside the commit, which would make opening a long conversation one long task.
  const measureRow = useCallback((element: HTMLElement | null) => startTransition(() => virtualizer.measureElement(element)), [virtualizer]);
  const busy = latest !== null;
  const items = virtualizer.getVirtualItems();
  const firstShown = items[0]?.index ?? 0;
  const lastShown = items.at(-1)?.index ?? -1;

  // Follow the conversation's end as messages arrive, and as a reply grows while the reader is at the end.
  useEffect(() => {
    if (branch.length > 0) virtualizer.scrollToIndex(branch.length - 1, { align: "end" });
  }, [branch.length, virtualizer]);
  // Whether the reader is at the end is noted as they scroll, so a growing reply does not read the
  // layout after every frame; the follow runs before paint, sharing the frame's one layout.
  const following = useRef(true);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the reply's growth is the trigger, not an input
  useLayoutEffect(() => {
    const element = scroller.current;
    if (element && following.current) element.scrollTop = element.scrollHeight;
  }, [streaming?.text.length]);
  useEffect(() => {
    const range = rangeToRead(branch, firstShown, lastShown);
    if (range) onNeedRange(range.start, range.end);
  }, [branch, firstShown, lastShown, onNeedRange]);

  return (
    <div
      ref={scroller}
      className="flex-1 overflow-y-auto"
      data-testid="message-list"
      onScroll={(event) => {
        const element = event.currentTarget;
        following.current = element.scrollHeight - element.scrollTop - element.clientHeight < FOLLOW_WITHIN;
      }}
    >
      <div className="relative mx-auto w-full max-w-3xl" style={{ height: virtualizer.getTotalSize() }}>
        {items.map((item) => {
          const message = branch[item.index];
          const isStreaming = message !== undefined && streaming?.messageId === message.id;
          return (
            <div
              key={message?.id ?? `row-${item.index}`}
              ref={measureRow}
              data-index={item.index}
              className="absolute left-0 right-0 px-4 py-3"
              style={{ transform: `translateY(${item.start}px)` }}
            >
              {message ? (
                <MessageItem
                  message={message}
                  streamingText={isStreaming ? streaming.text : undefined}
                  streamingThinking={isStreaming ? streaming.thinking : undefined}
                  branch={message.branch}
                  busy={busy}
                  onRegenerate={onRegenerate}
                  onEdit={onEdit}
                  onSwitchBranch={onSwitchBranch}
                  onContinue={item.index === branch.length - 1 ? onContinue : undefined}
                  onOpenCitation={onOpenCitation}
                />
              ) : (
                <div data-testid="message-placeholder" aria-busy="true" className="h-16 animate-pulse rounded-lg bg-muted" />
              )}
            </div>
          );
        })}
      </div>
    </div>
  );
}
