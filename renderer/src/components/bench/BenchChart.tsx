import { Bar, BarChart, CartesianGrid, ErrorBar, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { BenchRow } from "../../../../electron/shared/contract";
import { describeSettings } from "../../../../electron/shared/benchLabels";

interface Props {
  title: string;
  rows: BenchRow[];
  metric: "pp" | "tg";
}

/**
 * A bar per measured row: its mean, and its error bar (± one standard deviation, cut at zero: a
 * noisy run's spread can pass its mean, and a speed below zero would pull the axis under it).
 */
export function chartData(rows: BenchRow[], metric: "pp" | "tg"): { label: string; value: number; error: [number, number] }[] {
  return rows
    .filter((row) => row[metric] !== null)
    .map((row) => {
      const { mean, sd } = row[metric]!;
      return { label: `${row.modelName} · ${describeSettings(row.settings)}`, value: mean, error: [Math.min(sd, mean), sd] };
    });
}

/** Tokens per second of one metric, a bar per measured row, with ± one standard deviation. */
export function BenchChart({ title, rows, metric }: Props) {
  const data = chartData(rows, metric);
  return (
    <figure aria-label={title} className="rounded-lg border border-border p-3" data-testid={`bench-chart-${metric}`}>
      <figcaption className="mb-2 text-sm font-medium">{title}</figcaption>
      {data.length === 0 ? (
        <p className="text-sm text-fg-muted">No figures yet.</p>
      ) : (
        <ResponsiveContainer width="100%" height={Math.max(120, 40 + data.length * 36)}>
          <BarChart data={data} layout="vertical" margin={{ left: 8, right: 40 }}>
            <CartesianGrid strokeDasharray="3 3" horizontal={false} stroke="var(--color-border)" />
            {/* From zero, with the last tick kept: a bar's length is its speed, and the scale must show where it ends. */}
            <XAxis type="number" domain={[0, "auto"]} interval="preserveStartEnd" tick={{ fontSize: 12, fill: "var(--color-fg-muted)" }} unit=" t/s" />
            <YAxis type="category" dataKey="label" width={220} tick={{ fontSize: 12, fill: "var(--color-fg-muted)" }} />
            <Tooltip
              formatter={(value) => `${Number(value).toFixed(1)} tok/s`}
              contentStyle={{ background: "var(--color-bg)", border: "1px solid var(--color-border)" }}
            />
            <Bar dataKey="value" fill="var(--color-accent)" isAnimationActive={false}>
              <ErrorBar dataKey="error" width={6} strokeWidth={1.5} stroke="var(--color-fg)" direction="x" />
            </Bar>
          </BarChart>
        </ResponsiveContainer>
      )}
    </figure>
  );
}
