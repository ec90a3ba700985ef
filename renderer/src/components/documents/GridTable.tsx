import { AlertCircle, Loader2, Pencil, RotateCw } from "lucide-react";
import type { CellRef, GridCell, GridView } from "../../../../electron/shared/grids";
import { displayValue } from "../../../../electron/shared/gridValues";
import { cn } from "../../lib/cn";
import { KIND_NAMES } from "./GridEditor";

export type CellState = "empty" | "queued" | "running" | "done" | "missing" | "failed";

const key = (ref: CellRef) => `${ref.documentId} ${ref.columnId}`;

/** Where each cell is: answered (or not in its document), failed, being answered, waiting, or never asked. */
export function cellStates(view: GridView): { cells: Map<string, GridCell>; state(ref: CellRef): CellState } {
  const cells = new Map(view.cells.map((cell) => [key(cell), cell]));
  const queued = new Set(view.run?.queued.map(key));
  const current = view.run?.current ? key(view.run.current) : null;
  return {
    cells,
    state(ref) {
      const k = key(ref);
      if (k === current) return "running";
      if (queued.has(k)) return "queued";
      const cell = cells.get(k);
      if (!cell) return "empty";
      if (cell.status === "failed") return "failed";
      return cell.value === null ? "missing" : "done";
    },
  };
}

interface Props {
  view: GridView;
  selected: CellRef | null;
  running: boolean;
  onSelect(ref: CellRef): void;
  onRunRow(documentId: string): void;
  onRunColumn(columnId: string): void;
}

/** The grid: a row per document, a column per question; each cell its typed answer and the page it comes from. */
export function GridTable({ view, selected, running, onSelect, onRunRow, onRunColumn }: Props) {
  const { cells, state } = cellStates(view);
  const { columns } = view.grid;
  return (
    <div className="max-h-[60vh] overflow-auto rounded border border-border">
      <table className="w-full border-collapse text-sm" aria-label={view.grid.name}>
        <thead className="sticky top-0 z-[1] bg-panel text-left">
          <tr>
            <th scope="col" className="sticky left-0 z-[2] min-w-40 border-b border-border bg-panel px-2 py-1.5 font-medium">
              Document
            </th>
            {columns.map((column) => (
              <th key={column.id} scope="col" title={column.question} className="min-w-36 border-b border-l border-border px-2 py-1.5 align-top font-medium">
                <div className="flex items-start gap-1">
                  <span className="min-w-0 flex-1">
                    {column.label}
                    <span className="block text-xs font-normal text-fg-muted">{KIND_NAMES[column.type.kind]}</span>
                  </span>
                  <RerunButton
                    disabled={running}
                    label={`Re-run column ${column.label}`}
                    title="Answer this column again (hand edits are kept)"
                    onClick={() => onRunColumn(column.id)}
                  />
                </div>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {view.rows.map((row) => (
            <tr key={row.id} className="border-b border-border last:border-b-0">
              <th scope="row" className="sticky left-0 bg-panel px-2 py-1 text-left font-normal">
                <div className="flex items-center gap-1">
                  <span className="min-w-0 flex-1 truncate" title={row.name}>
                    {row.name}
                  </span>
                  <RerunButton
                    disabled={running}
                    label={`Re-run row ${row.name}`}
                    title="Answer this document's cells again (hand edits are kept)"
                    onClick={() => onRunRow(row.id)}
                  />
                </div>
              </th>
              {columns.map((column) => {
                const ref = { documentId: row.id, columnId: column.id };
                const cell = cells.get(key(ref));
                const cellState = state(ref);
                const isSelected = selected?.documentId === row.id && selected.columnId === column.id;
                return (
                  <td key={column.id} className="border-l border-border p-0 align-top">
                    <button
                      type="button"
                      data-testid="grid-cell"
                      data-state={cellState}
                      aria-label={`${row.name}, ${column.label}: ${describeState(cellState, cell)}`}
                      aria-pressed={isSelected}
                      onClick={() => onSelect(ref)}
                      className={cn(
                        "flex min-h-9 w-full items-start gap-1 px-2 py-1 text-left hover:bg-muted",
                        isSelected && "bg-accent/10 ring-2 ring-inset ring-accent",
                      )}
                    >
                      <CellContent state={cellState} cell={cell} />
                    </button>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function RerunButton({ disabled, label, title, onClick }: { disabled: boolean; label: string; title: string; onClick(): void }) {
  return (
    <button
      type="button"
      disabled={disabled}
      aria-label={label}
      title={title}
      className="rounded p-0.5 text-fg-muted hover:bg-muted hover:text-fg disabled:opacity-40"
      onClick={onClick}
    >
      <RotateCw size={12} />
    </button>
  );
}

function describeState(state: CellState, cell: GridCell | undefined): string {
  switch (state) {
    case "done":
      return `${displayValue(cell?.value)}${cell?.edited ? " (edited)" : ""}`;
    case "missing":
      return "not in the document";
    case "failed":
      return `failed: ${cell?.error?.message ?? ""}`;
    case "running":
      return "being answered";
    case "queued":
      return "waiting";
    case "empty":
      return "not answered yet";
  }
}

function CellContent({ state, cell }: { state: CellState; cell: GridCell | undefined }) {
  switch (state) {
    case "running":
      return (
        <span className="flex items-center gap-1 text-fg-muted">
          <Loader2 size={12} className="animate-spin" /> answering…
        </span>
      );
    case "queued":
      return <span className="text-fg-muted/70">waiting</span>;
    case "empty":
      return <span className="text-fg-muted/50">–</span>;
    case "missing":
      return <span className="text-fg-muted italic">not stated</span>;
    case "failed":
      return (
        <span className="flex items-center gap-1 text-danger" title={cell?.error?.message}>
          <AlertCircle size={12} /> failed
        </span>
      );
    case "done": {
      const pages = [...new Set(cell?.citations.map((c) => c.page))];
      return (
        <>
          <span className="line-clamp-3 min-w-0 flex-1 break-words">{displayValue(cell?.value)}</span>
          {cell?.edited && <Pencil size={11} className="mt-1 shrink-0 text-fg-muted" aria-hidden />}
          {pages.length > 0 && <span className="shrink-0 text-xs text-accent">p. {pages.join(", ")}</span>}
        </>
      );
    }
  }
}
