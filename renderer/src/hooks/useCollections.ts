import { useCallback, useEffect, useState } from "react";
import type { Collection } from "../../../electron/shared/documents";
import { useClient } from "./ClientContext";
import { useErrors } from "./useErrors";

/** The document collections, for attaching to a chat: read at start and again when an ingestion ends. */
export function useCollections() {
  const client = useClient();
  const { report } = useErrors();
  const [collections, setCollections] = useState<Collection[]>([]);
  const refresh = useCallback(() => client.call("documents.collections", {}).then(setCollections, report), [client, report]);
  useEffect(() => {
    void refresh();
    return client.on("documents.onDidProgress", (progress) => {
      if (progress.finished) void refresh();
    });
  }, [client, refresh]);
  return { collections, refresh };
}
