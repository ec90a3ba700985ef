import { useEffect, useRef } from "react";
import { useVirtualizer } from "@tanstack/react-virtual";
import type { Message } from "../../../electron/shared/contract";
import { siblingsOf, type MessageTree } from "../../../electron/shared/messageTree";
import { MessageItem } from "./MessageItem";

interface Props {
  tree: MessageTree;
  branch: Message[];
  streaming: { messageId: string; text: string; thinking: string } | null;
  onRegenerate(message: Message): void;
  onEdit(message: Message, text: string): void;
  onSwitchBranch(message: Message, step: -1 | 1): void;
}

const ESTIMATED_HEIGHT = 120;

/** The shown branch, virtualized so a conversation of thousands of messages stays smooth. */
export function ChatView({ tree, branch, streaming, onRegenerate, onEdit, onSwitchBranch }: Props) {
  const scroller = useRef<HTMLDivElement>(null);
  // Opens at the end, where the conversation continues, so the first render is the one shown.
  const virtualizer = useVirtualizer({
    count: branch.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ESTIMATED_HEIGHT,
    overscan: 4,
    initialOffset: () => branch.length * ESTIMATED_HEIGHT,
    // Measurements are batched into one render instead of a synchronous render per measured row.
    useFlushSync: false,
  });
  const busy = streaming !== null;

  // Follow the conversation's end as messages arrive, and as a reply grows while the reader is at the end.
  useEffect(() => {
    if (branch.length > 0) virtualizer.scrollToIndex(branch.length - 1, { align: "end" });
  }, [branch.length, virtualizer]);
  useEffect(() => {
    const element = scroller.current;
    if (element && element.scrollHeight - element.scrollTop - element.clientHeight < 200) element.scrollTop = element.scrollHeight;
  }, [streaming?.text.length]);

  return (
    <div ref={scroller} className="flex-1 overflow-y-auto" data-testid="message-list">
      <div className="relative mx-auto w-full max-w-3xl" style={{ height: virtualizer.getTotalSize() }}>
        {virtualizer.getVirtualItems().map((item) => {
          const message = branch[item.index]!;
          const siblings = siblingsOf(tree, message);
          const isStreaming = streaming?.messageId === message.id;
          return (
            <div key={message.id} ref={virtualizer.measureElement} data-index={item.index} className="absolute left-0 right-0 px-4 py-3" style={{ transform: `translateY(${item.start}px)` }}>
              <MessageItem
                message={message}
                streamingText={isStreaming ? streaming.text : undefined}
                streamingThinking={isStreaming ? streaming.thinking : undefined}
                branch={{ index: siblings.findIndex((m) => m.id === message.id), count: siblings.length }}
                busy={busy}
                onRegenerate={onRegenerate}
                onEdit={onEdit}
                onSwitchBranch={onSwitchBranch}
              />
            </div>
          );
        })}
      </div>
    </div>
  );
}
