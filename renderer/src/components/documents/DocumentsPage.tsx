import { FileText, Plus, Trash2 } from "lucide-react";
import { useState } from "react";
import type { ModelEntry } from "../../../../electron/shared/contract";
import { useDocuments } from "../../hooks/useDocuments";
import { cn } from "../../lib/cn";
import { modelLabel } from "../../lib/format";
import { Button } from "../ui/Button";
import { AddDocuments } from "./AddDocuments";
import { DocumentList } from "./DocumentList";
import type { RemoteEngine } from "../../../../electron/shared/remote";
import { GridsPanel } from "./GridsPanel";
import { PageViewer } from "./PageViewer";
import { SearchPassages } from "./SearchPassages";

/** The Documents page: collections on the left; the chosen one's files, indexing, search and cited pages on the right. */
export function DocumentsPage({
  models,
  remotes,
  loadedModelId,
  ocr,
  onOcr,
}: {
  models: ModelEntry[];
  remotes: RemoteEngine[];
  loadedModelId: string | null;
  ocr: boolean;
  onOcr(on: boolean): void;
}) {
  const docs = useDocuments();
  const [name, setName] = useState("");
  const [tab, setTab] = useState<"documents" | "grids">("documents");
  const selected = docs.selected;

  return (
    <div className="relative flex min-h-0 flex-1 flex-col lg:flex-row" data-testid="documents-page">
      <nav
        aria-label="Collections"
        className="flex max-h-48 shrink-0 flex-col gap-2 border-b border-border p-3 lg:max-h-none lg:w-56 lg:border-r lg:border-b-0"
      >
        <h2 className="font-medium">Collections</h2>
        <form
          className="flex gap-1"
          onSubmit={(e) => {
            e.preventDefault();
            if (!name.trim()) return;
            void docs.create(name.trim()).then(() => setName(""));
          }}
        >
          <input
            aria-label="New collection name"
            placeholder="New collection"
            className="h-8 min-w-0 flex-1 rounded border border-border bg-bg px-2 text-sm"
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
          <Button size="icon" type="submit" aria-label="Create collection" disabled={!name.trim()}>
            <Plus size={14} />
          </Button>
        </form>
        {docs.collections.length === 0 && <p className="text-sm text-fg-muted">No collections yet. Name one above, then add PDFs, Word files or a folder.</p>}
        <ul className="space-y-1 overflow-y-auto">
          {docs.collections.map((collection) => (
            <li key={collection.id}>
              <button
                type="button"
                aria-current={collection.id === selected?.id}
                onClick={() => docs.select(collection.id)}
                className={cn("w-full rounded px-2 py-1 text-left text-sm hover:bg-muted", collection.id === selected?.id && "bg-muted font-medium")}
              >
                <span className="block truncate">{collection.name}</span>
                <span className="text-xs text-fg-muted">
                  {collection.documentCount} document{collection.documentCount === 1 ? "" : "s"} · {collection.chunkCount} passages
                </span>
              </button>
            </li>
          ))}
        </ul>
      </nav>
      {selected ? (
        <div className="min-w-0 flex-1 space-y-4 overflow-y-auto p-4">
          <header className="flex flex-wrap items-center gap-2">
            <FileText size={18} className="text-fg-muted" />
            <h2 className="min-w-0 flex-1 truncate text-lg font-medium">{selected.name}</h2>
            <span className="text-sm text-fg-muted">
              {selected.embeddingModelName ? `embedded with ${selected.embeddingModelName}` : "no embedding model yet"}
            </span>
            <RerankerSelect models={models} value={selected.rerankerModelId} onChange={(modelId) => docs.setReranker(selected.id, modelId)} />
            <Button
              size="sm"
              variant="ghost"
              aria-label={`Delete collection ${selected.name}`}
              onClick={() => {
                if (window.confirm(`Delete "${selected.name}" and its index? The files themselves stay.`)) void docs.remove(selected.id);
              }}
            >
              <Trash2 size={14} /> Delete
            </Button>
          </header>
          <div role="tablist" aria-label="Collection views" className="flex gap-1 border-b border-border">
            {(
              [
                ["documents", "Documents and search"],
                ["grids", "Review grids"],
              ] as const
            ).map(([id, label]) => (
              <button
                key={id}
                type="button"
                role="tab"
                id={`tab-${id}`}
                aria-selected={tab === id}
                aria-controls={`panel-${id}`}
                onClick={() => setTab(id)}
                className={cn(
                  "-mb-px border-b-2 px-3 py-1.5 text-sm",
                  tab === id ? "border-accent font-medium text-fg" : "border-transparent text-fg-muted hover:text-fg",
                )}
              >
                {label}
              </button>
            ))}
          </div>
          {tab === "grids" ? (
            <div role="tabpanel" id="panel-grids" aria-labelledby="tab-grids">
              <GridsPanel
                collection={selected}
                documents={docs.documents}
                models={models}
                remotes={remotes}
                loadedModelId={loadedModelId}
                onOpenCitation={(c) => void docs.open(c)}
              />
            </div>
          ) : (
            <div role="tabpanel" id="panel-documents" aria-labelledby="tab-documents" className="space-y-4">
              <AddDocuments
                collection={selected}
                models={models}
                remotes={remotes}
                progress={docs.progress}
                ocr={ocr}
                onOcr={onOcr}
                onAdd={(paths, modelId) => void docs.add(selected.id, paths, modelId)}
                onCancel={(ingestId) => void docs.cancel(ingestId)}
              />
              <DocumentList documents={docs.documents} onRemove={(id) => void docs.removeDocument(id)} />
              <SearchPassages
                disabled={selected.documentCount === 0}
                passages={docs.passages}
                onSearch={(q) => void docs.search(q)}
                onOpen={(p) => void docs.open(p)}
              />
            </div>
          )}
        </div>
      ) : (
        <div className="flex flex-1 items-center justify-center p-8 text-center text-fg-muted">
          <p>Make a collection to index documents on this machine and search them with page citations.</p>
        </div>
      )}
      {docs.page && <PageViewer page={docs.page.page} passage={docs.page.passage} onClose={docs.closePage} />}
    </div>
  );
}

/**
 * The reranker that puts a search's best passages in order (a reranker GGUF such as
 * bge-reranker-v2-m3); choosing one tries it, and a model that cannot rank says so.
 */
function RerankerSelect({ models, value, onChange }: { models: ModelEntry[]; value: string | null; onChange(modelId: string | null): Promise<unknown> }) {
  const [trying, setTrying] = useState<string | null>(null);
  return (
    <label className="flex items-center gap-1.5 text-sm text-fg-muted">
      Rerank with
      <select
        aria-label="Reranker"
        className="h-8 max-w-48 rounded border border-border bg-bg px-2 text-fg"
        value={trying ?? value ?? ""}
        aria-busy={trying !== null}
        onChange={async (e) => {
          const next = e.target.value || null;
          setTrying(e.target.value);
          try {
            await onChange(next);
          } finally {
            setTrying(null);
          }
        }}
      >
        <option value="">No reranking</option>
        {models.map((m) => (
          <option key={m.id} value={m.id}>
            {modelLabel(m)}
          </option>
        ))}
      </select>
    </label>
  );
}
