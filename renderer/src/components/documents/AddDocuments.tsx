import { modelLabel } from "../../lib/format";
import { useState } from "react";
import type { ModelEntry } from "../../../../electron/shared/contract";
import type { Collection, IngestProgress } from "../../../../electron/shared/documents";
import type { RemoteEngine } from "../../../../electron/shared/remote";
import { RemoteModelOptions } from "../RemoteModelOptions";
import { formatEta } from "../../lib/format";
import { Button } from "../ui/Button";

interface Props {
  collection: Collection;
  models: ModelEntry[];
  /** Remote engines' models, which can embed a collection too. */
  remotes: RemoteEngine[];
  progress: IngestProgress | null;
  /** Whether scanned pages are read by OCR (the app setting). */
  ocr: boolean;
  onOcr(on: boolean): void;
  onAdd(paths: string[], modelId?: string): void;
  onCancel(ingestId: string): void;
}

/** Files or folders to index (paths on the machine Hearth runs on), the embedding model for a new collection, and the run's progress. */
export function AddDocuments({ collection, models, remotes, progress, ocr, onOcr, onAdd, onCancel }: Props) {
  const [paths, setPaths] = useState("");
  const [modelId, setModelId] = useState("");
  const running = progress !== null && !progress.finished;
  const chosenModel = collection.embeddingModelId ?? (modelId || models[0]?.id);
  const list = paths
    .split("\n")
    .map((p) => p.trim())
    .filter(Boolean);
  const failed = progress?.outcomes.filter((o) => o.status === "failed") ?? [];

  return (
    <section aria-label="Add documents" className="space-y-2 rounded border border-border p-3">
      <label className="flex flex-col gap-1 text-sm">
        Files or folders to add, one per line (folders are read all levels down)
        <textarea
          aria-label="Paths to add"
          rows={2}
          className="rounded border border-border bg-bg px-2 py-1 font-mono text-sm"
          placeholder="/home/me/Documents/contracts"
          value={paths}
          onChange={(e) => setPaths(e.target.value)}
        />
      </label>
      <div className="flex flex-wrap items-center gap-2 text-sm">
        {!collection.embeddingModelId && (
          <label className="flex items-center gap-2">
            Embedding model
            <select
              aria-label="Embedding model"
              className="h-8 rounded border border-border bg-bg px-2"
              value={chosenModel ?? ""}
              onChange={(e) => setModelId(e.target.value)}
            >
              {models.map((model) => (
                <option key={model.id} value={model.id}>
                  {modelLabel(model)}
                </option>
              ))}
              <RemoteModelOptions remotes={remotes} />
            </select>
          </label>
        )}
        <Button
          size="sm"
          disabled={running || list.length === 0 || !chosenModel}
          onClick={() => onAdd(list, collection.embeddingModelId ? undefined : chosenModel)}
        >
          Add and index
        </Button>
        {running && (
          <Button size="sm" variant="ghost" onClick={() => onCancel(progress.ingestId)}>
            Cancel
          </Button>
        )}
        <label className="flex items-center gap-1">
          <input type="checkbox" aria-label="Read scanned pages with OCR" checked={ocr} onChange={(e) => onOcr(e.target.checked)} />
          Read scanned pages (OCR)
        </label>
        <span className="text-xs text-fg-muted">PDF, Word (.docx), HTML, Markdown and text. Unchanged files are skipped.</span>
      </div>
      {progress && (
        <div role="status" aria-label="Indexing progress" className="space-y-1 text-sm">
          <div className="h-2 overflow-hidden rounded bg-muted">
            <div
              className="h-full bg-accent transition-[width]"
              style={{ width: `${progress.documentsTotal ? (progress.documentsDone / progress.documentsTotal) * 100 : 100}%` }}
            />
          </div>
          <p className="text-fg-muted tabular-nums">
            {progress.finished ? "Done: " : ""}
            {progress.documentsDone} of {progress.documentsTotal} documents · {progress.pagesDone} pages · {progress.chunksDone} passages
            {progress.chunksPerSecond ? ` · ${progress.chunksPerSecond.toFixed(1)} passages/s` : ""}
            {!progress.finished && progress.etaSeconds !== null ? ` · ${formatEta(progress.etaSeconds)} left` : ""}
            {!progress.finished && progress.current ? ` · ${progress.current.split(/[\\/]/).at(-1)}` : ""}
            {progress.error ? ` · stopped: ${progress.error.message}` : ""}
          </p>
          {failed.length > 0 && (
            <ul aria-label="Files not indexed" className="space-y-0.5 text-danger">
              {failed.map((o) => (
                <li key={o.path}>{o.error?.message}</li>
              ))}
            </ul>
          )}
        </div>
      )}
    </section>
  );
}
