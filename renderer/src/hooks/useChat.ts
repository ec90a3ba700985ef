import { startTransition, useCallback, useEffect, useRef, useState } from "react";
import type { BranchMessage, ChatPacket, ChatStarted, Conversation, Message, SamplingSettings } from "../../../electron/shared/contract";
import { extendBranch, placeWindow, type LoadedBranch } from "../lib/branchWindow";
import { RevealPace } from "../lib/revealPace";
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
 * One conversation: its shown branch (read a window at a time, so a long one opens at once), the
 * reply streaming into it, and the actions. A message costs one call and one stream: the call
 * answers with the branch's new end, the stream's end with the finished reply; nothing is re-read. Deltas are gathered and applied once per animation
 * frame, so a fast model never floods React; the answer's text is revealed at an even pace
 * between the engine's batches (RevealPace), its thinking at once.
 */
export function useChat(conversationId: string | null, onConversationChanged: (id: string) => void) {
  const client = useClient();
  const { report } = useErrors();
  const [conversation, setConversation] = useState<Conversation | null>(null);
  const [branch, setBranch] = useState<LoadedBranch>([]);
  const branchRef = useRef(branch);
  branchRef.current = branch;
  const [streaming, setStreaming] = useState<Streaming | null>(null);
  // A message sent and not yet placed (its call waits for the engine or the model): shown at once.
  const [pending, setPending] = useState<{ text: string; failed: boolean } | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a message that could not be sent stays until another conversation is shown
  useEffect(() => setPending((shown) => (shown?.failed ? null : shown)), [conversationId]);
  const [notice, setNotice] = useState<string | null>(null);
  // The shown id names no conversation (deleted since it was remembered).
  const [missing, setMissing] = useState(false);
  const streamRef = useRef<Streaming | null>(null);
  const frame = useRef<number | null>(null);
  const pace = useRef(new RevealPace());
  const reading = useRef(new Set<string>());
  const shownId = useRef(conversationId);
  shownId.current = conversationId;
  // A conversation a send just made: shown from the send's answer when the view switches to it.
  const seeded = useRef<{ conversation: Conversation; messages: BranchMessage[] } | null>(null);

  // Reads the end of the branch again: after opening, sending, switching or finishing a reply.
  const load = useCallback(
    async (id: string) => {
      try {
        const view = await client.call("conversations.view", { id });
        if (id !== shownId.current) return;
        setMissing(false);
        // Rendered in slices React can interrupt: opening a conversation never freezes the window.
        startTransition(() => {
          setConversation(view.conversation);
          setBranch((previous) => placeWindow(view, previous));
        });
      } catch (error) {
        // A conversation deleted elsewhere (another window, the CLI) is not an error to show: it is gone.
        if ((error as { code?: string }).code === "NOT_FOUND" && id === shownId.current) setMissing(true);
        else report(error);
      }
    },
    [client, report],
  );

  /** Reads the messages from `start` to `end` of the shown branch, when the reader scrolls to them. */
  const loadRange = useCallback(
    async (start: number, end: number) => {
      if (!conversationId) return;
      const key = `${conversationId}:${start}:${end}`;
      if (reading.current.has(key)) return;
      reading.current.add(key);
      try {
        const view = await client.call("conversations.view", { id: conversationId, start, end });
        // The reader may have moved to another conversation meanwhile.
        if (view.conversation.id !== shownId.current) return;
        setBranch((previous) => placeWindow(view, previous));
      } catch (error) {
        report(error);
      } finally {
        reading.current.delete(key);
      }
    },
    [client, conversationId, report],
  );

  useEffect(() => {
    setNotice(null);
    const seed = seeded.current;
    seeded.current = null;
    if (seed && seed.conversation.id === conversationId) {
      setConversation(seed.conversation);
      setBranch(seed.messages);
    } else if (conversationId) void load(conversationId);
    else {
      setConversation(null);
      setBranch([]);
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
            pace.current.arrived(current.text.length);
            if (frame.current === null) {
              let last = performance.now();
              const draw = (now: number) => {
                frame.current = null;
                const stream = streamRef.current;
                if (!stream) return;
                const end = pace.current.advance(stream.text, now - last);
                last = now;
                setStreaming({ ...stream, text: stream.text.slice(0, end) });
                if (end < stream.text.length) frame.current = requestAnimationFrame(draw);
              };
              frame.current = requestAnimationFrame(draw);
            }
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
              const place = <T extends { id: string; branch: BranchMessage["branch"] } | undefined>(m: T) =>
                m?.id === finished.id ? { ...finished, branch: m.branch } : m;
              setBranch((list) => list.map(place));
              // A short reply can end before its new conversation is on screen: the seed it will
              // open with gets the finished message too, or it would show it streaming forever.
              const seed = seeded.current;
              if (seed) seeded.current = { ...seed, messages: seed.messages.map(place) as BranchMessage[] };
            }
            if (packet.type === "error") report(new ClientError(packet.error));
            break;
          default: {
            const unknown: never = packet;
            throw new Error(`Unknown packet ${JSON.stringify(unknown)}`);
          }
        }
      }),
    [client, report],
  );

  // The shown conversation's title and settings follow its changes.
  useEffect(
    () =>
      client.on("conversations.onDidChange", (change) => {
        if (change.type === "changed" && change.conversation.id === shownId.current) setConversation(change.conversation);
      }),
    [client],
  );

  const start = useCallback(
    /** `seed`: the text a continued reply already has, shown as it was while the rest streams. */
    async (begin: () => Promise<ChatStarted>, seed: { text: string; thinking: string } = { text: "", thinking: "" }) => {
      try {
        const started = await begin();
        setPending(null);
        streamRef.current = { requestId: started.requestId, messageId: started.assistantMessageId, ...seed };
        pace.current = new RevealPace();
        pace.current.shown = seed.text.length;
        setStreaming({ ...streamRef.current });
        if (started.conversationId !== conversationId) {
          seeded.current = { conversation: started.conversation, messages: started.messages };
          onConversationChanged(started.conversationId);
          return;
        }
        setConversation(started.conversation);
        // A continued reply places nothing new: it grows where it is.
        if (started.messages.length === 0) return;
        const extended = extendBranch(branchRef.current, started.messages);
        if (extended) setBranch(extended);
        else await load(started.conversationId);
      } catch (error) {
        setPending((shown) => shown && { ...shown, failed: true });
        report(error);
      }
    },
    [conversationId, load, onConversationChanged, report],
  );

  const send = useCallback(
    (text: string, modelId: string | undefined, collectionIds?: string[]) => {
      setPending({ text, failed: false });
      return start(() => client.call("chat.send", { conversationId: conversationId ?? undefined, text, modelId, collectionIds }));
    },
    [client, conversationId, start],
  );

  /** The document collections the conversation answers from. */
  const attach = useCallback(
    async (collectionIds: string[]) => {
      if (!conversation) return;
      try {
        setConversation(await client.call("conversations.update", { id: conversation.id, collectionIds }));
      } catch (error) {
        report(error);
      }
    },
    [client, conversation, report],
  );

  const edit = useCallback(
    (message: Message, text: string) => start(() => client.call("chat.send", { conversationId: message.conversationId, parentId: message.parentId, text })),
    [client, start],
  );

  const regenerate = useCallback((message: Message) => start(() => client.call("chat.regenerate", { messageId: message.id })), [client, start]);
  /** Writes on from where a reply stopped (its token limit, or Stop), into the same message. */
  const continueReply = useCallback(
    (message: Message) => start(() => client.call("chat.continue", { messageId: message.id }), { text: message.content, thinking: message.thinking ?? "" }),
    [client, start],
  );

  const stop = useCallback(async () => {
    const current = streamRef.current;
    if (current) await client.call("chat.abort", { requestId: current.requestId }).catch(report);
  }, [client, report]);

  const switchBranch = useCallback(
    async (message: Message, step: -1 | 1) => {
      try {
        await client.call("conversations.switchBranch", { messageId: message.id, step });
        await load(message.conversationId);
      } catch (error) {
        report(error);
      }
    },
    [client, load, report],
  );

  const update = useCallback(
    async (patch: { systemPrompt: string | null; sampling: SamplingSettings }) => {
      if (!conversation) return false;
      try {
        setConversation(await client.call("conversations.update", { id: conversation.id, ...patch }));
        return true;
      } catch (error) {
        report(error);
        return false;
      }
    },
    [client, conversation, report],
  );

  return { conversation, missing, branch, loadRange, streaming, pending, notice, send, edit, regenerate, continueReply, stop, switchBranch, update, attach };
}
