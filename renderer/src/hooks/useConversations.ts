import { useCallback, useEffect, useRef, useState } from "react";
import type { Conversation } from "../../../electron/shared/contract";
import { applyConversationChange } from "../lib/applyConversationChange";
import { saveDownload } from "../lib/saveDownload";
import { useClient } from "./ClientContext";
import { useErrors } from "./useErrors";

const UNDO_MS = 6000;

/** The sidebar's data: conversations newest first, search, rename, and delete with undo. */
export function useConversations() {
  const client = useClient();
  const { report } = useErrors();
  const [conversations, setConversations] = useState<Conversation[]>([]);
  const [query, setQuery] = useState("");
  const [pendingDelete, setPendingDelete] = useState<Conversation | null>(null);
  const deleteTimer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const refresh = useCallback(async () => {
    try {
      setConversations(await client.call("conversations.list", query.trim() ? { query: query.trim() } : {}));
    } catch (error) {
      report(error);
    }
  }, [client, query, report]);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  // Chats, renames and deletions anywhere (this window, another, the API) arrive as events: no re-read.
  const filtered = query.trim() !== "";
  useEffect(
    () => client.on("conversations.onDidChange", (change) => setConversations((list) => applyConversationChange(list, change, filtered))),
    [client, filtered],
  );

  const rename = useCallback(
    async (id: string, title: string) => {
      try {
        await client.call("conversations.rename", { id, title });
      } catch (error) {
        report(error);
      }
    },
    [client, report],
  );

  /** Saves a conversation as the CLI exports it: Markdown or JSON, through the browser's download. */
  const exportAs = useCallback(
    async (id: string, format: "md" | "json") => {
      try {
        saveDownload(await client.call("conversations.export", { id, format }), format === "md" ? "text/markdown" : "application/json");
      } catch (error) {
        report(error);
      }
    },
    [client, report],
  );

  const commitDelete = useCallback(
    async (conversation: Conversation) => {
      try {
        await client.call("conversations.delete", { id: conversation.id });
      } catch (error) {
        report(error);
      }
    },
    [client, report],
  );

  /** Hidden at once; deleted for good only when the undo window passes. */
  const remove = useCallback(
    (conversation: Conversation) => {
      if (deleteTimer.current && pendingDelete) {
        clearTimeout(deleteTimer.current);
        void commitDelete(pendingDelete);
      }
      setPendingDelete(conversation);
      deleteTimer.current = setTimeout(() => {
        deleteTimer.current = null;
        setPendingDelete(null);
        void commitDelete(conversation);
      }, UNDO_MS);
    },
    [commitDelete, pendingDelete],
  );

  const undoDelete = useCallback(() => {
    if (deleteTimer.current) clearTimeout(deleteTimer.current);
    deleteTimer.current = null;
    setPendingDelete(null);
  }, []);

  const visible = pendingDelete ? conversations.filter((c) => c.id !== pendingDelete.id) : conversations;
  return { conversations: visible, query, setQuery, refresh, rename, exportAs, remove, pendingDelete, undoDelete };
}
