import { RotateCw } from "lucide-react";
import { useEffect, useState } from "react";
import type { Citation } from "../../../../electron/shared/documents";
import type { GridCell, GridColumn } from "../../../../electron/shared/grids";
import { displayValue } from "../../../../electron/shared/gridValues";
import { Button } from "../ui/Button";
import { Sources } from "./Sources";

interface Props {
  documentName: string;
  column: GridColumn;
  cell: GridCell | undefined;
  running: boolean;
  onEdit(value: unknown): Promise<unknown>;
  onRerun(): void;
  onOpen(citation: Citation): void;
}

/** The value as the edit field holds it: yes/no as words, JSON as text. */
function draftOf(column: GridColumn, value: unknown): string {
  if (value === null || value === undefined) return "";
  if (column.type.kind === "json") return JSON.stringify(value, null, 2);
  return displayValue(value);
}

/** The chosen cell: its answer, the passages it comes from (each opens its page), a hand edit, and a re-run. */
export function GridCellDetail({ documentName, column, cell, running, onEdit, onRerun, onOpen }: Props) {
  const [draft, setDraft] = useState(draftOf(column, cell?.value));
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    setDraft(draftOf(column, cell?.value));
    setProblem(null);
  }, [column, cell?.value]);
  const { type } = column;

  const save = () => {
    let value: unknown = draft.trim() === "" ? null : draft;
    if (type.kind === "json" && value !== null) {
      try {
        value = JSON.parse(draft);
      } catch {
        return setProblem("That is not valid JSON.");
      }
    }
    setProblem(null);
    void onEdit(value);
  };

  return (
    <section aria-label={`Cell ${documentName}, ${column.label}`} className="space-y-2 rounded border border-border p-3 text-sm">
      <header className="flex flex-wrap items-baseline gap-2">
        <h4 className="font-medium">
          {column.label} · {documentName}
        </h4>
        <span className="min-w-0 flex-1 text-fg-muted">{column.question}</span>
        <Button size="sm" variant="ghost" disabled={running} onClick={onRerun}>
          <RotateCw size={12} /> Re-run cell
        </Button>
      </header>
      {cell?.status === "failed" && <p className="text-danger">{cell.error?.message}</p>}
      {cell?.status === "done" && cell.value === null && <p className="text-fg-muted">The document does not say (nothing in its passages answers this).</p>}
      <form
        className="flex flex-wrap items-start gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          save();
        }}
      >
        <label className="sr-only" htmlFor="grid-cell-value">
          Value
        </label>
        {type.kind === "yesNo" || type.kind === "choice" ? (
          <select id="grid-cell-value" className="h-8 rounded border border-border bg-bg px-2" value={draft} onChange={(e) => setDraft(e.target.value)}>
            <option value="">(not stated)</option>
            {(type.kind === "yesNo" ? ["Yes", "No"] : type.options).map((option) => (
              <option key={option} value={option}>
                {option}
              </option>
            ))}
          </select>
        ) : type.kind === "json" || type.kind === "text" ? (
          <textarea
            id="grid-cell-value"
            rows={type.kind === "json" ? 4 : 2}
            className="min-w-0 flex-1 rounded border border-border bg-bg px-2 py-1"
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
          />
        ) : (
          <input
            id="grid-cell-value"
            type={type.kind === "date" ? "date" : "text"}
            inputMode={type.kind === "number" ? "decimal" : undefined}
            className="h-8 rounded border border-border bg-bg px-2"
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
          />
        )}
        <Button type="submit" size="sm">
          Save edit
        </Button>
        {cell?.edited && <span className="self-center text-xs text-fg-muted">Edited by hand; kept when the grid runs again.</span>}
      </form>
      {problem && (
        <p role="alert" className="text-danger">
          {problem}
        </p>
      )}
      {cell && cell.citations.length > 0 && <Sources citations={cell.citations} onOpen={onOpen} />}
      {cell?.totalMs != null && (
        <p className="text-xs text-fg-muted">
          Answered in {(cell.totalMs / 1000).toFixed(2)} s{cell.modelMs != null ? `, ${(cell.modelMs / 1000).toFixed(2)} s of it in the models` : ""}.
        </p>
      )}
    </section>
  );
}
