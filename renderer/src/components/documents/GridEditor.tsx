import type { RemoteEngine } from "../../../../electron/shared/remote";
import { RemoteModelOptions } from "../RemoteModelOptions";
import { modelLabel } from "../../lib/format";
import { Plus, Trash2 } from "lucide-react";
import { useState } from "react";
import type { ModelEntry } from "../../../../electron/shared/contract";
import type { Grid, GridColumnKind, GridColumnType } from "../../../../electron/shared/grids";
import { Button } from "../ui/Button";

/** A column as the form holds it: every type's extras as text until it is saved. */
interface DraftColumn {
  id?: string;
  label: string;
  question: string;
  kind: GridColumnKind;
  options: string;
  schema: string;
}

export const KIND_NAMES: Record<GridColumnKind, string> = {
  text: "Text",
  number: "Number",
  date: "Date",
  yesNo: "Yes / no",
  choice: "One of…",
  json: "JSON schema",
};

/** Columns a contract review usually starts with, to edit rather than type from nothing. */
const CONTRACT_REVIEW: DraftColumn[] = [
  draft("Parties", "Who are the parties to the agreement?", "text"),
  draft("Start date", "On what date does the agreement start?", "date"),
  draft("Renews automatically", "Does the agreement renew automatically?", "yesNo"),
  draft("Notice (days)", "How many days of notice are needed to end it?", "number"),
  draft("Governing law", "Which law or court governs disputes?", "text"),
];

function draft(label: string, question: string, kind: GridColumnKind): DraftColumn {
  return { label, question, kind, options: "", schema: "" };
}

function toDraft(column: Grid["columns"][number]): DraftColumn {
  const { type } = column;
  return {
    id: column.id,
    label: column.label,
    question: column.question,
    kind: type.kind,
    options: type.kind === "choice" ? type.options.join(", ") : "",
    schema: type.kind === "json" ? JSON.stringify(type.schema, null, 2) : "",
  };
}

/** The form's column as the contract takes it, or what is wrong with it. */
function toColumn(column: DraftColumn): { id?: string; label: string; question: string; type: GridColumnType } | string {
  const name = column.label.trim() || "A column";
  let type: GridColumnType;
  if (column.kind === "choice") {
    const options = column.options
      .split(",")
      .map((o) => o.trim())
      .filter(Boolean);
    if (options.length < 2) return `${name}: give two or more choices, separated by commas.`;
    type = { kind: "choice", options };
  } else if (column.kind === "json") {
    try {
      type = { kind: "json", schema: JSON.parse(column.schema) as Record<string, unknown> };
    } catch {
      return `${name}: the JSON schema is not valid JSON.`;
    }
  } else type = { kind: column.kind };
  return { id: column.id, label: column.label.trim(), question: column.question.trim(), type };
}

interface Props {
  grid: Grid | null;
  models: ModelEntry[];
  remotes: RemoteEngine[];
  defaultModelId: string | null;
  onSave(input: { name: string; modelId?: string; columns: Exclude<ReturnType<typeof toColumn>, string>[] }): Promise<unknown>;
  onCancel(): void;
}

/** A new grid, or a grid's name, model and columns: each column a label, the question asked of every document, and the answer's type. */
export function GridEditor({ grid, models, remotes, defaultModelId, onSave, onCancel }: Props) {
  const [name, setName] = useState(grid?.name ?? "");
  const [modelId, setModelId] = useState(grid?.modelId ?? defaultModelId ?? models[0]?.id ?? "");
  const [columns, setColumns] = useState<DraftColumn[]>(grid ? grid.columns.map(toDraft) : [draft("", "", "text")]);
  const [problem, setProblem] = useState<string | null>(null);
  const change = (i: number, patch: Partial<DraftColumn>) => setColumns((list) => list.map((c, j) => (j === i ? { ...c, ...patch } : c)));
  const complete = columns.filter((c) => c.label.trim() && c.question.trim());

  return (
    <form
      aria-label={grid ? `Edit ${grid.name}` : "New review grid"}
      className="space-y-3 rounded border border-border p-3"
      onSubmit={(e) => {
        e.preventDefault();
        const parsed = complete.map(toColumn);
        const wrong = parsed.find((c): c is string => typeof c === "string");
        if (wrong) return setProblem(wrong);
        setProblem(null);
        void onSave({ name: name.trim(), modelId: modelId || undefined, columns: parsed as Exclude<(typeof parsed)[number], string>[] });
      }}
    >
      <div className="flex flex-wrap items-end gap-3 text-sm">
        <label className="flex min-w-48 flex-1 flex-col gap-1">
          Grid name
          <input
            required
            className="h-8 rounded border border-border bg-bg px-2"
            placeholder="Lease review"
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
        </label>
        <label className="flex flex-col gap-1">
          Model that answers
          <select className="h-8 max-w-64 rounded border border-border bg-bg px-2" value={modelId} onChange={(e) => setModelId(e.target.value)}>
            {models.map((model) => (
              <option key={model.id} value={model.id}>
                {modelLabel(model)}
              </option>
            ))}
            <RemoteModelOptions remotes={remotes} />
          </select>
        </label>
        {!grid && (
          <Button size="sm" variant="ghost" onClick={() => setColumns(CONTRACT_REVIEW)}>
            Start from a contract review
          </Button>
        )}
      </div>
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium">Columns: one question asked of every document</legend>
        {columns.map((column, i) => (
          <div key={column.id ?? i} className="flex flex-wrap items-start gap-2 rounded bg-muted/40 p-2 text-sm" data-testid="column-draft">
            <input
              aria-label={`Column ${i + 1} label`}
              placeholder="Label"
              className="h-8 w-36 rounded border border-border bg-bg px-2"
              value={column.label}
              onChange={(e) => change(i, { label: e.target.value })}
            />
            <input
              aria-label={`Column ${i + 1} question`}
              placeholder="The question, e.g. What is the monthly rent?"
              className="h-8 min-w-48 flex-1 rounded border border-border bg-bg px-2"
              value={column.question}
              onChange={(e) => change(i, { question: e.target.value })}
            />
            <select
              aria-label={`Column ${i + 1} type`}
              className="h-8 rounded border border-border bg-bg px-2"
              value={column.kind}
              onChange={(e) => change(i, { kind: e.target.value as GridColumnKind })}
            >
              {Object.entries(KIND_NAMES).map(([kind, label]) => (
                <option key={kind} value={kind}>
                  {label}
                </option>
              ))}
            </select>
            <Button size="icon" variant="ghost" aria-label={`Remove column ${i + 1}`} onClick={() => setColumns((list) => list.filter((_, j) => j !== i))}>
              <Trash2 size={14} />
            </Button>
            {column.kind === "choice" && (
              <input
                aria-label={`Column ${i + 1} choices`}
                placeholder="Choices, separated by commas"
                className="h-8 basis-full rounded border border-border bg-bg px-2"
                value={column.options}
                onChange={(e) => change(i, { options: e.target.value })}
              />
            )}
            {column.kind === "json" && (
              <textarea
                aria-label={`Column ${i + 1} JSON schema`}
                placeholder='{"type": "object", "properties": {"amount": {"type": "number"}, "currency": {"type": "string"}}}'
                rows={3}
                className="basis-full rounded border border-border bg-bg px-2 py-1 font-mono text-xs"
                value={column.schema}
                onChange={(e) => change(i, { schema: e.target.value })}
              />
            )}
          </div>
        ))}
        <Button size="sm" variant="ghost" onClick={() => setColumns((list) => [...list, draft("", "", "text")])}>
          <Plus size={14} /> Add column
        </Button>
      </fieldset>
      {grid && <p className="text-xs text-fg-muted">A column whose question or type changes is answered anew; the others keep their answers.</p>}
      {problem && (
        <p role="alert" className="text-sm text-danger">
          {problem}
        </p>
      )}
      <div className="flex gap-2">
        <Button type="submit" variant="primary" size="sm" disabled={!name.trim() || complete.length === 0 || !modelId}>
          {grid ? "Save" : "Create grid"}
        </Button>
        <Button size="sm" variant="ghost" onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
