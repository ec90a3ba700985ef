import type { BenchRow, BenchRun } from "../../shared/contract";

export type BenchExportFormat = "csv" | "json" | "md";

const COLUMNS = [
  "model",
  "quantization",
  "pp",
  "tg",
  "depth",
  "threads",
  "gpu_layers",
  "batch",
  "flash_attn",
  "ctx",
  "pp_tps_mean",
  "pp_tps_sd",
  "tg_tps_mean",
  "tg_tps_sd",
  "ttft_ms",
  "load_ms",
  "peak_rss_mb",
  "vram_mb",
  "reps",
  "status",
  "error",
] as const;

const round = (value: number | null | undefined, digits = 2) => (value === null || value === undefined ? "" : value.toFixed(digits));
const megabytes = (bytes: number | null) => (bytes === null ? "" : (bytes / 1024 / 1024).toFixed(0));

/** One row's values in COLUMNS order, as text. */
function cells(row: BenchRow): string[] {
  const s = row.settings;
  return [
    row.modelName,
    row.quantization ?? "",
    String(s.pp),
    String(s.tg),
    String(s.depth),
    String(row.threadsUsed ?? s.threads ?? ""),
    String(s.gpuLayers),
    s.batchSize === null ? "" : String(s.batchSize),
    s.flashAttention ? "on" : "off",
    String(s.contextSize),
    round(row.pp?.mean),
    round(row.pp?.sd),
    round(row.tg?.mean),
    round(row.tg?.sd),
    round(row.ttftMs, 1),
    round(row.loadMs, 0),
    megabytes(row.peakRssBytes),
    megabytes(row.vramBytes),
    String(row.repsDone),
    row.status,
    row.error?.message ?? "",
  ];
}

/** RFC 4180: quote a field holding a comma, a quote or a line break; double the quotes. */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** A bench run as a file: CSV (one line a row), JSON (everything, with the hardware), or a Markdown report. */
export function exportBenchRun(run: BenchRun, format: BenchExportFormat): { filename: string; content: string } {
  const base = `hearth-bench-${new Date(run.createdAt).toISOString().slice(0, 19).replace(/[:T]/g, "-")}-${run.id.slice(0, 8)}`;
  switch (format) {
    case "json":
      return { filename: `${base}.json`, content: `${JSON.stringify({ format: "hearth.bench", version: 1, ...run }, null, 2)}\n` };
    case "csv":
      return { filename: `${base}.csv`, content: `${[COLUMNS.join(","), ...run.rows.map((row) => cells(row).map(csvField).join(","))].join("\n")}\n` };
    case "md":
      return { filename: `${base}.md`, content: toMarkdown(run) };
  }
}

function toMarkdown(run: BenchRun): string {
  const h = run.hardware;
  const lines = [`# Hearth bench, ${new Date(run.createdAt).toISOString()}`, ""];
  if (h) {
    lines.push(
      `- CPU: ${h.cpu} (${h.physicalCores} cores, ${h.logicalCores} threads), RAM ${(h.ramBytes / 1024 ** 3).toFixed(1)} GiB`,
      `- GPU: ${h.gpus.length ? h.gpus.join(", ") : "none"}${h.vramBytes ? `, VRAM ${(h.vramBytes / 1024 ** 3).toFixed(1)} GiB` : ""}; backend ${h.backend}`,
      `- ${h.os}; Hearth ${h.hearthVersion}, llama.cpp ${h.llamaCppVersion}, node-llama-cpp ${h.nodeLlamaCppVersion}`,
      `- ${run.spec.reps} repetitions after a warm-up; tokens per second as mean ± standard deviation`,
      "",
    );
  }
  lines.push(`| ${COLUMNS.join(" | ")} |`, `|${COLUMNS.map(() => "---").join("|")}|`);
  for (const row of run.rows)
    lines.push(
      `| ${cells(row)
        .map((cell) => cell.replace(/\|/g, "\\|").replace(/\n/g, " "))
        .join(" | ")} |`,
    );
  return `${lines.join("\n")}\n`;
}
