import { useEffect, useRef } from "react";
import { useVirtualizer } from "@tanstack/react-virtual";
import type { Message } from "../../../electron/shared/contract";
import { branchTo, siblingsOf } from "../lib/messageTree";
import { MessageItem } from "./MessageItem";

interface Props {
  messages: Message[];
  activeLeafId: string | null;
  streaming: { messageId: string; text: string; thinking: string } | null;
  onRegenerate(message: Message): void;
  onEdit(message: Message, text: string): void;
  onSwitchBranch(message: Message, step: -1 | 1): void;
}

/** The shown branch, virtualized so a conversation of thousands of messages stays smooth. */
export function ChatView({ messages, activeLeafId, streaming, onRegenerate, onEdit, onSwitchBranch }: Props) {
  const branch = branchTo(messages, activeLeafId);
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: branch.length, getScrollElement: () => scroller.current, estimateSize: () => 96, overscan: 6 });
  const busy = streaming !== null;

  // Follow the conversation's end as it grows.
  useEffect(() => {
    if (branch.length > 0) virtualizer.scrollToIndex(branch.length - 1, { align: "end" });
  }, [branch.length, streaming?.text.length, virtualizer]);

  return (
    <div ref={scroller} className="flex-1 overflow-y-auto" data-testid="message-list">
      <div className="relative mx-auto w-full max-w-3xl" style={{ height: virtualizer.getTotalSize() }}>
        {virtualizer.getVirtualItems().map((item) => {
          const message = branch[item.index]!;
          const siblings = siblingsOf(messages, message);
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
