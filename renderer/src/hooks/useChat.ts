import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { ChatPacket, Conversation, Message, SamplingSettings } from "../../../electron/shared/contract";
import { branchTo, indexTree, newestLeafUnder, siblingsOf } from "../../../electron/shared/messageTree";
import { ClientError } from "../transport/hearthClient";
import { useClient } from "./ClientContext";
import { useErrors } from "./useErrors";

interface Streaming {
  requestId: string;
  messageId: string;
  text: string;
  thinking: string;
}

/**
 * One conversation: its messages (every branch), the reply streaming into it, and the actions.
 * Deltas are gathered and applied once per animation frame, so a fast model never floods React.
 */
export function useChat(conversationId: string | null, onConversationChanged: (id: string) => void) {
  const client = useClient();
  const { report } = useErrors();
  const [conversation, setConversation] = useState<Conversation | null>(null);
  const [messages, setMessages] = useState<Message[]>([]);
  const [streaming, setStreaming] = useState<Streaming | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const streamRef = useRef<Streaming | null>(null);
  const frame = useRef<number | null>(null);

  const load = useCallback(
    async (id: string) => {
      try {
        const result = await client.call("conversations.get", { id });
        setConversation(result.conversation);
        setMessages(result.messages);
      } catch (error) {
        report(error);
      }
    },
    [client, report],
  );

  useEffect(() => {
    setNotice(null);
    if (conversationId) void load(conversationId);
    else {
      setConversation(null);
      setMessages([]);
    }
  }, [conversationId, load]);

  useEffect(
    () =>
      client.on("chat.onDidStream", (packet: ChatPacket) => {
        const current = streamRef.current;
        if (!current || packet.requestId !== current.requestId) return;
        switch (packet.type) {
          case "token":
            if (packet.segment === "thought") current.thinking += packet.text;
            else current.text += packet.text;
            frame.current ??= requestAnimationFrame(() => {
              frame.current = null;
              if (streamRef.current) setStreaming({ ...streamRef.current });
            });
            break;
          case "notice":
            setNotice(packet.notice.message);
            break;
          case "done":
          case "error":
            streamRef.current = null;
            setStreaming(null);
            if (packet.message) {
              const finished = packet.message;
              setMessages((list) => list.map((m) => (m.id === finished.id ? finished : m)));
            }
            if (packet.type === "error") report(new ClientError(packet.error));
            if (conversationId) void load(conversationId);
            break;
          default: {
            const unknown: never = packet;
            throw new Error(`Unknown packet ${JSON.stringify(unknown)}`);
          }
        }
      }),
    [client, conversationId, load, report],
  );

  const start = useCallback(
    async (begin: () => Promise<{ requestId: string; conversationId: string; assistantMessageId: string }>) => {
      try {
        const started = await begin();
        streamRef.current = { requestId: started.requestId, messageId: started.assistantMessageId, text: "", thinking: "" };
        setStreaming({ ...streamRef.current });
        if (started.conversationId !== conversationId) onConversationChanged(started.conversationId);
        else await load(started.conversationId);
      } catch (error) {
        report(error);
      }
    },
    [conversationId, load, onConversationChanged, report],
  );

  const send = useCallback(
    (text: string, modelId: string | undefined, sampling?: SamplingSettings) =>
      start(() => client.call("chat.send", { conversationId: conversationId ?? undefined, text, modelId, sampling })),
    [client, conversationId, start],
  );

  const edit = useCallback(
    (message: Message, text: string) => start(() => client.call("chat.send", { conversationId: message.conversationId, parentId: message.parentId, text })),
    [client, start],
  );

  const regenerate = useCallback((message: Message) => start(() => client.call("chat.regenerate", { messageId: message.id })), [client, start]);

  const stop = useCallback(async () => {
    const current = streamRef.current;
    if (current) await client.call("chat.abort", { requestId: current.requestId }).catch(report);
  }, [client, report]);

  const tree = useMemo(() => indexTree(messages), [messages]);
  const branch = useMemo(() => branchTo(tree, conversation?.activeLeafId ?? null), [tree, conversation?.activeLeafId]);

  const switchBranch = useCallback(
    async (message: Message, step: -1 | 1) => {
      const siblings = siblingsOf(tree, message);
      const target = siblings[siblings.findIndex((m) => m.id === message.id) + step];
      if (!target || !conversation) return;
      try {
        setConversation(await client.call("conversations.update", { id: conversation.id, activeLeafId: newestLeafUnder(tree, target).id }));
      } catch (error) {
        report(error);
      }
    },
    [client, conversation, tree, report],
  );

  const update = useCallback(
    async (patch: { systemPrompt: string | null; sampling: SamplingSettings }) => {
      if (!conversation) return;
      try {
        setConversation(await client.call("conversations.update", { id: conversation.id, ...patch }));
      } catch (error) {
        report(error);
      }
    },
    [client, conversation, report],
  );

  return { conversation, messages, tree, branch, streaming, notice, send, edit, regenerate, stop, switchBranch, update };
}
