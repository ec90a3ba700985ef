import { modelLabel } from "../../lib/format";
import { useStoredState } from "../../hooks/useStoredState";
import type { CallInput, ModelEntry } from "../../../../electron/shared/contract";
import { Button } from "../ui/Button";

interface Props {
  models: ModelEntry[];
  running: boolean;
  onRun(spec: CallInput<"bench.start">): void;
}

/** "0, 4096" → [0, 4096]; null when any item is not a whole number. */
function numbers(text: string): number[] | null {
  const items = text
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean);
  if (items.length === 0 || items.some((item) => !/^\d+$/.test(item))) return null;
  return items.map(Number);
}

function TextField({ label, value, onChange, placeholder }: { label: string; value: string; onChange(value: string): void; placeholder?: string }) {
  return (
    <label className="flex flex-col gap-1">
      {label}
      <input
        aria-label={label}
        placeholder={placeholder}
        className="h-8 w-24 rounded border border-border bg-bg px-2 tabular-nums"
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
    </label>
  );
}

/** Which models and settings to measure. Lists (comma-separated) make one row per value. */
export function BenchForm({ models, running, onRun }: Props) {
  // Kept while the user visits other pages (and across reloads): setting up a bench takes a while.
  const [picked, setPicked] = useStoredState<string[]>("hearth.bench.models", []);
  const [pp, setPp] = useStoredState("hearth.bench.pp", "512");
  const [tg, setTg] = useStoredState("hearth.bench.tg", "128");
  const [depth, setDepth] = useStoredState("hearth.bench.depth", "0");
  const [threads, setThreads] = useStoredState("hearth.bench.threads", "");
  const [reps, setReps] = useStoredState("hearth.bench.reps", "5");
  const [flash, setFlash] = useStoredState<"off" | "on" | "both">("hearth.bench.flash", "off");
  const chosen = picked.filter((id) => models.some((m) => m.id === id));
  const lists = { pp: numbers(pp), tg: numbers(tg), depth: numbers(depth), threads: threads.trim() ? numbers(threads) : undefined, reps: numbers(reps) };
  const invalid = Object.entries(lists).find(([, value]) => value === null)?.[0];

  return (
    <form
      aria-label="Bench settings"
      className="space-y-3 rounded-lg border border-border p-4"
      onSubmit={(event) => {
        event.preventDefault();
        if (invalid || chosen.length === 0) return;
        onRun({
          modelIds: chosen,
          pp: lists.pp!,
          tg: lists.tg!,
          depth: lists.depth!,
          reps: lists.reps![0]!,
          ...(lists.threads ? { threads: lists.threads } : {}),
          flashAttention: flash === "both" ? [false, true] : [flash === "on"],
        });
      }}
    >
      <fieldset>
        <legend className="mb-1 text-sm font-medium">Models</legend>
        {models.length === 0 && <p className="text-sm text-fg-muted">No models in the library yet: import one above.</p>}
        <div className="flex flex-wrap gap-3">
          {models.map((model) => (
            <label key={model.id} className="flex items-center gap-1.5 text-sm">
              <input
                type="checkbox"
                checked={chosen.includes(model.id)}
                onChange={(e) => setPicked((list) => (e.target.checked ? [...list, model.id] : list.filter((id) => id !== model.id)))}
              />
              {modelLabel(model)}
            </label>
          ))}
        </div>
      </fieldset>
      <div className="flex flex-wrap items-end gap-3 text-sm">
        <TextField label="Prompt tokens" value={pp} onChange={setPp} />
        <TextField label="Generated tokens" value={tg} onChange={setTg} />
        <TextField label="Depth" value={depth} onChange={setDepth} />
        <TextField label="Threads" value={threads} onChange={setThreads} placeholder="auto" />
        <TextField label="Repetitions" value={reps} onChange={setReps} />
        <label className="flex flex-col gap-1">
          Flash attention
          <select
            aria-label="Flash attention"
            className="h-8 rounded border border-border bg-bg px-2"
            value={flash}
            onChange={(e) => setFlash(e.target.value as typeof flash)}
          >
            <option value="off">off</option>
            <option value="on">on</option>
            <option value="both">both (compare)</option>
          </select>
        </label>
        <Button type="submit" variant="primary" disabled={running || chosen.length === 0 || Boolean(invalid)}>
          Run bench
        </Button>
      </div>
      <p className="text-xs text-fg-muted">
        {invalid
          ? `${invalid} needs whole numbers, comma-separated.`
          : "Comma-separated values (depth 0,4096) make one row each. Each row loads its model in an engine of its own, warms up, then repeats."}
      </p>
    </form>
  );
}
