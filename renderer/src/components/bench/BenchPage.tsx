import { useState } from "react";
import { Trash2 } from "lucide-react";
import type { BenchRun, ModelEntry } from "../../../../electron/shared/contract";
import type { RemoteEngine } from "../../../../electron/shared/remote";
import { useBench } from "../../hooks/useBench";
import { cn } from "../../lib/cn";
import { Button } from "../ui/Button";
import { ArenaPanel } from "./ArenaPanel";
import { BenchCompare } from "./BenchCompare";
import { BenchForm } from "./BenchForm";
import { BenchResults } from "./BenchResults";

/** The Bench page: measure models and settings, watch rows fill in, keep the history, compare two runs. */
export function BenchPage({ models, remotes }: { models: ModelEntry[]; remotes: RemoteEngine[] }) {
  const bench = useBench();
  const [comparing, setComparing] = useState<string[]>([]);
  const [pair, setPair] = useState<[BenchRun, BenchRun] | null>(null);
  const running = bench.shown?.status === "running" || bench.runs.some((run) => run.status === "running");

  return (
    <div className="flex-1 space-y-4 overflow-y-auto p-4" data-testid="bench-page">
      <BenchForm
        models={models}
        running={running}
        onRun={(spec) => {
          setPair(null);
          void bench.start(spec);
        }}
      />
      {pair ? (
        <BenchCompare a={pair[0]} b={pair[1]} />
      ) : bench.shown ? (
        <BenchResults
          run={bench.shown}
          onCancel={() => void bench.cancel(bench.shown!.id)}
          onExport={(format) => void bench.download(bench.shown!.id, format)}
        />
      ) : null}
      {/* Remote engines' models can meet local ones in the arena (the bench itself measures local models). */}
      <ArenaPanel models={models} remotes={remotes} />
      <section aria-label="Bench history">
        <div className="mb-1 flex items-center gap-2">
          <h2 className="font-medium">History</h2>
          <Button
            size="sm"
            disabled={comparing.length !== 2}
            onClick={async () => {
              const [a, b] = await Promise.all(comparing.map((id) => bench.load(id)));
              // The older run is A, so the change reads forward in time.
              setPair(a!.createdAt <= b!.createdAt ? [a!, b!] : [b!, a!]);
            }}
          >
            Compare selected
          </Button>
          {pair && (
            <Button size="sm" variant="ghost" onClick={() => setPair(null)}>
              Close comparison
            </Button>
          )}
        </div>
        {bench.runs.length === 0 && <p className="text-sm text-fg-muted">No runs yet. Pick a model above and run a bench.</p>}
        <ul className="space-y-1">
          {bench.runs.map((run) => (
            <li
              key={run.id}
              data-testid="bench-run"
              className={cn("flex items-center gap-2 rounded px-2 py-1 text-sm", bench.shown?.id === run.id && !pair ? "bg-muted" : "hover:bg-muted/60")}
            >
              <input
                type="checkbox"
                aria-label={`Select run of ${new Date(run.createdAt).toLocaleString()} to compare`}
                checked={comparing.includes(run.id)}
                onChange={(e) => setComparing((list) => (e.target.checked ? [...list, run.id].slice(-2) : list.filter((id) => id !== run.id)))}
              />
              <button
                type="button"
                className="flex-1 truncate text-left"
                onClick={() => {
                  setPair(null);
                  void bench.show(run.id);
                }}
              >
                {new Date(run.createdAt).toLocaleString()} · {run.models.join(", ")} · {run.rowCount} row(s) · {run.status}
              </button>
              <Button size="icon" variant="ghost" aria-label="Delete run" onClick={() => void bench.remove(run.id)}>
                <Trash2 size={13} />
              </Button>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
