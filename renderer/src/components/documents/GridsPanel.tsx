import { Download, Pencil, Play, Plus, Square, Table2, Trash2 } from "lucide-react";
import { useState } from "react";
import type { ModelEntry } from "../../../../electron/shared/contract";
import type { Citation, Collection, DocumentEntry } from "../../../../electron/shared/documents";
import type { CellRef, GridView } from "../../../../electron/shared/grids";
import { useGrids } from "../../hooks/useGrids";
import { formatEta } from "../../lib/format";
import { Button } from "../ui/Button";
import { GridCellDetail } from "./GridCellDetail";
import type { RemoteEngine } from "../../../../electron/shared/remote";
import { GridEditor } from "./GridEditor";
import { GridTable } from "./GridTable";

interface Props {
  collection: Collection;
  documents: DocumentEntry[];
  models: ModelEntry[];
  /** Remote engines' models, which can answer a grid too. */
  remotes: RemoteEngine[];
  /** The chat's model, offered first for a new grid. */
  loadedModelId: string | null;
  onOpenCitation(citation: Citation): void;
}

/** A collection's review grids: pick or make one, fill it (live), check and edit cells, export it. */
export function GridsPanel({ collection, documents, models, remotes, loadedModelId, onOpenCitation }: Props) {
  const g = useGrids(collection.id, documents);
  const [editing, setEditing] = useState<"new" | "open" | null>(null);
  const view = g.view;

  if (editing) {
    const grid = editing === "open" ? (view?.grid ?? null) : null;
    return (
      <GridEditor
        key={grid?.id ?? "new"}
        grid={grid}
        models={models}
        remotes={remotes}
        defaultModelId={loadedModelId}
        onCancel={() => setEditing(null)}
        onSave={async (input) => {
          const saved = grid ? await g.update({ id: grid.id, ...input }) : await g.create(input);
          if (saved) setEditing(null);
        }}
      />
    );
  }
  if (documents.length === 0) return <p className="text-sm text-fg-muted">Add documents first: a grid has a row for each.</p>;
  if (g.grids.length === 0) {
    return (
      <div className="space-y-2 rounded border border-dashed border-border p-4 text-sm">
        <p>
          A review grid asks the same questions of every document in "{collection.name}": one row per document, one column per question, each answer typed
          (text, number, date, yes/no, one of a list) and cited to its page. Export it to Excel or CSV.
        </p>
        <Button size="sm" variant="primary" onClick={() => setEditing("new")}>
          <Plus size={14} /> New grid
        </Button>
      </div>
    );
  }

  return (
    <section aria-label="Review grids" className="space-y-3">
      <div className="flex flex-wrap items-center gap-2 text-sm">
        <Table2 size={16} className="text-fg-muted" />
        <label className="sr-only" htmlFor="grid-select">
          Review grid
        </label>
        <select id="grid-select" className="h-8 rounded border border-border bg-bg px-2" value={view?.grid.id ?? ""} onChange={(e) => g.open(e.target.value)}>
          {g.grids.map((grid) => (
            <option key={grid.id} value={grid.id}>
              {grid.name}
            </option>
          ))}
        </select>
        <Button size="sm" variant="ghost" onClick={() => setEditing("new")}>
          <Plus size={14} /> New grid
        </Button>
        {view && (
          <>
            <Button size="sm" variant="ghost" disabled={view.run !== null} onClick={() => setEditing("open")}>
              <Pencil size={14} /> Edit columns
            </Button>
            <Button
              size="sm"
              variant="ghost"
              aria-label={`Delete grid ${view.grid.name}`}
              onClick={() => {
                if (window.confirm(`Delete the grid "${view.grid.name}" and its answers? The documents stay.`)) void g.remove(view.grid.id);
              }}
            >
              <Trash2 size={14} />
            </Button>
          </>
        )}
      </div>
      {view && (
        <GridBody
          key={view.grid.id}
          view={view}
          grids={g}
          modelName={
            models.find((m) => m.id === view.grid.modelId)?.name ?? remotes.flatMap((r) => r.models).find((m) => m.id === view.grid.modelId)?.model ?? null
          }
          onOpenCitation={onOpenCitation}
        />
      )}
    </section>
  );
}

function GridBody({
  view,
  grids,
  modelName,
  onOpenCitation,
}: {
  view: GridView;
  grids: ReturnType<typeof useGrids>;
  modelName: string | null;
  onOpenCitation(citation: Citation): void;
}) {
  const [selected, onSelect] = useState<CellRef | null>(null);
  const { grid, run } = view;
  const total = view.rows.length * grid.columns.length;
  const answered = view.cells.filter((c) => c.status === "done").length;
  const running = run !== null;
  const column = selected && grid.columns.find((c) => c.id === selected.columnId);
  const row = selected && view.rows.find((r) => r.id === selected.documentId);
  const elapsed = run ? (Date.now() - run.startedAt) / 1000 : 0;
  const eta = run && run.done > 0 ? (elapsed / run.done) * (run.total - run.done) : null;

  return (
    <>
      <div className="flex flex-wrap items-center gap-2 text-sm">
        {running ? (
          <Button size="sm" variant="danger" onClick={() => void grids.cancel(grid.id)}>
            <Square size={12} /> Stop
          </Button>
        ) : (
          <>
            <Button size="sm" variant="primary" disabled={answered === total} onClick={() => void grids.run({ id: grid.id, onlyMissing: true })}>
              <Play size={12} /> {answered === 0 ? "Fill grid" : "Fill the rest"}
            </Button>
            <Button size="sm" variant="ghost" disabled={answered === 0} onClick={() => void grids.run({ id: grid.id })}>
              Re-run all
            </Button>
          </>
        )}
        {run ? (
          <div role="status" aria-label="Grid progress" className="flex min-w-48 flex-1 items-center gap-2">
            <progress className="h-2 flex-1 accent-accent" max={Math.max(run.total, 1)} value={run.done} />
            <span className="text-fg-muted">
              {run.done} of {run.total} cells · ETA {formatEta(eta)}
            </span>
          </div>
        ) : (
          <span className="flex-1 text-fg-muted">
            {answered} of {total} cells answered{modelName ? ` by ${modelName}` : ""}
          </span>
        )}
        <span className="flex items-center gap-1">
          <Download size={14} className="text-fg-muted" />
          {(["csv", "xlsx", "json"] as const).map((format) => (
            <Button
              key={format}
              size="sm"
              variant="ghost"
              aria-label={`Export as ${format.toUpperCase()}`}
              onClick={() => void grids.download(grid.id, format)}
            >
              {format === "xlsx" ? "Excel" : format.toUpperCase()}
            </Button>
          ))}
        </span>
      </div>
      <GridTable
        view={view}
        selected={selected}
        running={running}
        onSelect={onSelect}
        onRunRow={(documentId) => void grids.run({ id: grid.id, documentIds: [documentId] })}
        onRunColumn={(columnId) => void grids.run({ id: grid.id, columnIds: [columnId] })}
      />
      {selected && column && row ? (
        <GridCellDetail
          documentName={row.name}
          column={column}
          cell={view.cells.find((c) => c.documentId === selected.documentId && c.columnId === selected.columnId)}
          running={running}
          onEdit={(value) => grids.editCell({ gridId: grid.id, documentId: row.id, columnId: column.id, value })}
          onRerun={() => void grids.run({ id: grid.id, documentIds: [row.id], columnIds: [column.id] })}
          onOpen={onOpenCitation}
        />
      ) : (
        <p className="text-xs text-fg-muted">Choose a cell to see the passages it was answered from, open their pages, or edit it by hand.</p>
      )}
    </>
  );
}
