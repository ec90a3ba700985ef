import type { BenchRow, BenchRun } from "../../../../electron/shared/contract";
import { describeSettings } from "../../../../electron/shared/benchLabels";
import { Button } from "../ui/Button";
import { TableHead } from "../ui/TableHead";
import { BenchChart } from "./BenchChart";

const tps = (stat: BenchRow["pp"]) => (stat ? `${stat.mean.toFixed(1)} ± ${stat.sd.toFixed(1)}` : "–");
const ms = (value: number | null) => (value === null ? "–" : `${value.toFixed(0)} ms`);
const mb = (bytes: number | null) => (bytes === null ? "–" : `${(bytes / 1024 / 1024).toFixed(0)} MB`);

/** One run: live progress per row, the figures as charts and a table, its machine, export. */
export function BenchResults({ run, onCancel, onExport }: { run: BenchRun; onCancel(): void; onExport(format: "csv" | "json" | "md"): void }) {
  const h = run.hardware;
  return (
    <section aria-label="Bench results" className="space-y-3">
      <header className="flex flex-wrap items-center gap-2">
        <h2 className="font-medium">
          Run of {new Date(run.createdAt).toLocaleString()} <span className="text-sm text-fg-muted">({run.status})</span>
        </h2>
        <span className="ml-auto flex gap-1">
          {run.status === "running" ? (
            <Button size="sm" variant="danger" onClick={onCancel}>
              Cancel run
            </Button>
          ) : (
            (["csv", "json", "md"] as const).map((format) => (
              <Button key={format} size="sm" onClick={() => onExport(format)}>
                Export {format.toUpperCase()}
              </Button>
            ))
          )}
        </span>
      </header>
      {h && (
        <p className="text-xs text-fg-muted" data-testid="bench-hardware">
          {h.cpu} · {h.physicalCores} cores · {(h.ramBytes / 1024 ** 3).toFixed(0)} GiB RAM · {h.gpus.join(", ") || "no GPU"} · backend {h.backend} · llama.cpp{" "}
          {h.llamaCppVersion} · Hearth {h.hearthVersion}
        </p>
      )}
      <div className="grid gap-3 lg:grid-cols-2">
        <BenchChart title="Prompt processing (tokens/s)" rows={run.rows} metric="pp" />
        <BenchChart title="Generation (tokens/s)" rows={run.rows} metric="tg" />
      </div>
      <div className="overflow-x-auto">
        <table className="w-full text-sm tabular-nums">
          <TableHead columns={["Model", "Settings", "Progress", "pp tok/s", "tg tok/s", "TTFT", "Load", "Peak RSS"]} />
          <tbody>
            {run.rows.map((row) => (
              <tr key={row.index} data-testid="bench-row" data-status={row.status} className="border-t border-border">
                <td className="px-2 py-1">
                  {row.modelName} <span className="text-fg-muted">{row.quantization}</span>
                </td>
                <td className="px-2 py-1">{describeSettings(row.settings)}</td>
                <td className="px-2 py-1">
                  {row.status === "error" ? (
                    <span className="text-danger">{row.error?.message}</span>
                  ) : row.status === "ok" ? (
                    "done"
                  ) : (
                    <span className="flex items-center gap-2">
                      <progress aria-label={`Progress of row ${row.index + 1}`} className="h-1.5 w-20" max={run.spec.reps} value={row.repsDone} />
                      {row.status === "pending" ? "waiting" : row.repsDone === 0 ? "loading" : `${row.repsDone}/${run.spec.reps}`}
                    </span>
                  )}
                </td>
                <td className="px-2 py-1">{tps(row.pp)}</td>
                <td className="px-2 py-1">{tps(row.tg)}</td>
                <td className="px-2 py-1">{ms(row.ttftMs)}</td>
                <td className="px-2 py-1">{ms(row.loadMs)}</td>
                <td className="px-2 py-1">{mb(row.peakRssBytes)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
