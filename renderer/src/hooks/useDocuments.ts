import { useCallback, useEffect, useState } from "react";
import type { Collection, DocumentEntry, DocumentPage, IngestProgress, Passage } from "../../../electron/shared/documents";
import { useClient } from "./ClientContext";
import { useErrors, useReported } from "./useErrors";

/** Where a passage or citation is: what opening its page needs. */
type PassagePlace = Pick<Passage, "documentId" | "page" | "start" | "end">;

/**
 * The Documents page's data: collections, the chosen one's documents, its ingestion as it goes
 * (from `documents.onDidProgress`), search, and the page a passage points into.
 */
export function useDocuments() {
  const client = useClient();
  const { report } = useErrors();
  const [collections, setCollections] = useState<Collection[]>([]);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [documents, setDocuments] = useState<DocumentEntry[]>([]);
  const [progress, setProgress] = useState<IngestProgress | null>(null);
  const [passages, setPassages] = useState<Passage[] | null>(null);
  const [page, setPage] = useState<{ page: DocumentPage; passage: PassagePlace } | null>(null);

  const refresh = useCallback(async () => {
    try {
      const list = await client.call("documents.collections", {});
      setCollections(list);
      setSelectedId((current) => (current && list.some((c) => c.id === current) ? current : (list[0]?.id ?? null)));
    } catch (error) {
      report(error);
    }
  }, [client, report]);

  const loadDocuments = useCallback(
    async (collectionId: string) => {
      try {
        setDocuments(await client.call("documents.list", { collectionId }));
      } catch (error) {
        report(error);
      }
    },
    [client, report],
  );

  useEffect(() => {
    void refresh();
  }, [refresh]);

  useEffect(() => {
    setPassages(null);
    setPage(null);
    if (selectedId) void loadDocuments(selectedId);
    else setDocuments([]);
  }, [selectedId, loadDocuments]);

  useEffect(
    () =>
      client.on("documents.onDidProgress", (next) => {
        setProgress((current) => (current === null || current.ingestId === next.ingestId || current.finished ? next : current));
        if (next.finished) {
          void refresh();
          if (next.collectionId === selectedId) void loadDocuments(next.collectionId);
          if (next.error && next.error.code !== "ABORTED") report(next.error);
        }
      }),
    [client, loadDocuments, refresh, report, selectedId],
  );

  const act = useReported();

  return {
    collections,
    selected: collections.find((c) => c.id === selectedId) ?? null,
    select: setSelectedId,
    documents,
    progress: progress && progress.collectionId === selectedId ? progress : null,
    passages,
    page,
    create: (name: string) =>
      act(async () => {
        const created = await client.call("documents.createCollection", { name });
        await refresh();
        setSelectedId(created.id);
      }),
    rename: (id: string, name: string) =>
      act(async () => {
        await client.call("documents.renameCollection", { id, name });
        await refresh();
      }),
    /** Reranks the collection's searches with a model (tried first), or stops (null). */
    setReranker: (collectionId: string, modelId: string | null) =>
      act(async () => {
        await client.call("documents.setReranker", { collectionId, modelId });
        await refresh();
      }),
    remove: (id: string) =>
      act(async () => {
        await client.call("documents.deleteCollection", { id });
        await refresh();
      }),
    add: (collectionId: string, paths: string[], modelId?: string) =>
      act(async () => {
        setProgress(null);
        await client.call("documents.add", { collectionId, paths, modelId });
      }),
    cancel: (ingestId: string) => act(() => client.call("documents.cancel", { ingestId })),
    removeDocument: (id: string) =>
      act(async () => {
        await client.call("documents.remove", { id });
        if (selectedId) await loadDocuments(selectedId);
        await refresh();
      }),
    search: (query: string) =>
      act(async () => {
        if (!selectedId) return;
        setPage(null);
        setPassages(await client.call("documents.search", { collectionId: selectedId, query, limit: 8 }));
      }),
    open: (passage: PassagePlace) =>
      act(async () => setPage({ page: await client.call("documents.page", { documentId: passage.documentId, page: passage.page }), passage })),
    closePage: () => setPage(null),
  };
}
