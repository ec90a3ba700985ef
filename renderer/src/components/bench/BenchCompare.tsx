import type { BenchRow, BenchRun } from "../../../../electron/shared/contract";
import { describeSettings } from "../../../../electron/shared/benchLabels";
import { cn } from "../../lib/cn";
import { TableHead } from "../ui/TableHead";

const key = (row: BenchRow) => `${row.modelName} · ${describeSettings(row.settings)}`;

/** Changes smaller than this (percent) are shown as no change: a shared machine swings by more. */
const STEADY = 1;

/** B against A: faster in green with ▲, slower in red with ▼ (never colour alone), steady in grey. */
function Delta({ a, b }: { a: number | undefined; b: number | undefined }) {
  if (a === undefined || b === undefined) return <span className="text-fg-muted">–</span>;
  const change = ((b - a) / a) * 100;
  const steady = Math.abs(change) < STEADY;
  return (
    <span
      data-testid="delta"
      data-trend={steady ? "steady" : change > 0 ? "faster" : "slower"}
      className={cn(steady ? "text-fg-muted" : change > 0 ? "text-emerald-700 dark:text-emerald-300" : "text-danger")}
    >
      {steady ? "≈ " : change > 0 ? "▲ +" : "▼ "}
      {`${change.toFixed(1)}%`}
    </span>
  );
}

/** Two runs side by side: rows matched by model and settings, tokens per second and the change from A to B. */
export function BenchCompare({ a, b }: { a: BenchRun; b: BenchRun }) {
  const keys = [...new Set([...a.rows, ...b.rows].map(key))];
  const find = (run: BenchRun, k: string) => run.rows.find((row) => key(row) === k);
  const when = (run: BenchRun) => new Date(run.createdAt).toLocaleString();
  return (
    <section aria-label="Compare runs" className="space-y-2">
      <h2 className="font-medium">
        A: {when(a)} · B: {when(b)}
      </h2>
      {(a.hardware?.cpu !== b.hardware?.cpu || a.hardware?.backend !== b.hardware?.backend) && (
        <p className="text-sm text-danger">These runs come from different hardware or backends: compare with care.</p>
      )}
      <table className="w-full text-sm tabular-nums">
        <TableHead columns={["Model · settings", "pp A", "pp B", "pp change", "tg A", "tg B", "tg change"]} />
        <tbody>
          {keys.map((k) => {
            const ra = find(a, k);
            const rb = find(b, k);
            return (
              <tr key={k} data-testid="compare-row" className="border-t border-border">
                <td className="px-2 py-1">{k}</td>
                <td className="px-2 py-1">{ra?.pp?.mean.toFixed(1) ?? "–"}</td>
                <td className="px-2 py-1">{rb?.pp?.mean.toFixed(1) ?? "–"}</td>
                <td className="px-2 py-1">
                  <Delta a={ra?.pp?.mean} b={rb?.pp?.mean} />
                </td>
                <td className="px-2 py-1">{ra?.tg?.mean.toFixed(1) ?? "–"}</td>
                <td className="px-2 py-1">{rb?.tg?.mean.toFixed(1) ?? "–"}</td>
                <td className="px-2 py-1">
                  <Delta a={ra?.tg?.mean} b={rb?.tg?.mean} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
