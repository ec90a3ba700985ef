import { InvalidArgumentError, type Command } from "commander";
import type { BenchPacket, BenchRow, BenchRun, BenchRunSummary, GpuLayers } from "../../shared/contract";
import { applyBenchPacket } from "../../shared/progressPackets";
import { HearthError } from "../../shared/errors";
import { describeSettings } from "../../shared/benchLabels";
import { exportBenchRun } from "../../core/export/exportBenchRun";
import { withCore } from "../context";
import { dim, formatBytes, printJson, printTable, UsageError } from "../output";
import { gpuLayers, integer, oneOf } from "../parsers";

interface BenchOptions {
  model?: string[];
  pp?: number[];
  tg?: number[];
  depth?: number[];
  reps?: number;
  threads?: number[];
  gpuLayers?: GpuLayers[];
  batch?: number[];
  flashAttn?: boolean[];
  ctx?: number;
  backend?: "auto" | "cpu";
  json?: boolean;
  csv?: boolean;
  md?: boolean;
  list?: boolean;
  show?: string;
}

/** A comma-separated list, each item through `parse`: "0,4096" → [0, 4096]. */
function listOf<T>(parse: (value: string) => T) {
  return (value: string): T[] => {
    const items = value.split(",").map((item) => item.trim());
    if (items.some((item) => item === "")) throw new InvalidArgumentError("Expected a comma-separated list, like 1,2,4.");
    return items.map(parse);
  };
}

const onOff = (value: string): boolean => oneOf(["on", "off"] as const)(value) === "on";
const collect = (value: string, previous: string[] = []) => [...previous, value];

export function registerBench(program: Command): void {
  program
    .command("bench")
    .description("measure model speed the llama-bench way: prompt processing and generation apart, mean ± sd over repetitions")
    .option("-m, --model <file-or-id>", "a model to measure (repeat for several)", collect)
    .option("--pp <n,...>", "prompt tokens (default 512)", listOf(integer(0, 32_768)))
    .option("--tg <n,...>", "generated tokens (default 128)", listOf(integer(0, 8_192)))
    .option("--depth <n,...>", "tokens already in the context (default 0)", listOf(integer(0, 1_048_576)))
    .option("--reps <n>", "repetitions after a warm-up (default 5)", integer(1, 100))
    .option("--threads <n,...>", "CPU threads (default: physical cores)", listOf(integer(1, 512)))
    .option("--gpu-layers <auto|off|n,...>", "layers offloaded to the GPU (default auto)", listOf(gpuLayers))
    .option("--batch <n,...>", "batch size", listOf(integer(1, 65_536)))
    .option("--flash-attn <on|off,...>", "flash attention (default off)", listOf(onOff))
    .option("--ctx <n>", "context size (default: what each row needs)", integer(64, 1_048_576))
    .option("--backend <auto|cpu>", "GPU backend when available, or CPU only", oneOf(["auto", "cpu"] as const))
    .option("--json", "print the run as JSON")
    .option("--csv", "print the rows as CSV")
    .option("--md", "print a Markdown report")
    .option("--list", "list stored runs")
    .option("--show <run-id>", "print a stored run (as a table, or with --json, --csv, --md)")
    .addHelpText(
      "after",
      `
Every combination of the listed values is one row, for every model; each row runs in an engine
process of its own. Results are stored; see them again with --list and --show.

Examples:
  $ hearth bench --model stories260k --pp 128 --tg 32 --reps 3
  $ hearth bench -m a.gguf -m b.gguf --depth 0,4096 --threads 1,2 --md
  $ hearth bench --show 3f2c… --csv`,
    )
    .action(async (options: BenchOptions, command: Command) => {
      const formats = [options.json, options.csv, options.md].filter(Boolean).length;
      if (formats > 1) throw new UsageError("Choose one of --json, --csv and --md.");
      await withCore(
        command,
        async (core) => {
          if (options.list) return listRuns(core.benchStore.listRuns(), options.json);
          if (options.show) return printRun(core.benchStore.getRun(options.show), options);
          if (!options.model?.length) throw new UsageError("Give at least one --model (a library id or a .gguf file).");
          const models = [];
          for (const ref of options.model) models.push(await core.library.resolve(ref));
          const { benchSpecSchema } = await import("../../shared/contract");
          const parsed = benchSpecSchema.safeParse({
            modelIds: models.map((m) => m.id),
            pp: options.pp,
            tg: options.tg,
            depth: options.depth,
            reps: options.reps,
            threads: options.threads,
            gpuLayers: options.gpuLayers,
            batchSize: options.batch,
            flashAttention: options.flashAttn,
            contextSize: options.ctx,
          });
          if (!parsed.success) throw new UsageError(parsed.error.issues[0]?.message ?? "Invalid bench settings.");
          const progress = progressPrinter();
          const unsubscribe = core.bench.onProgress(progress);
          try {
            const run = await core.bench.start(parsed.data).done;
            progress.end();
            printRun(run, options);
            if (run.rows.every((row) => row.status === "error")) {
              throw new HearthError("ENGINE_CRASHED", `Every row failed; the first: ${run.rows[0]?.error?.message ?? "unknown error"}`);
            }
          } finally {
            unsubscribe();
          }
        },
        { backend: options.backend },
      );
    });
}

/** Progress on stderr: one line kept up to date in a terminal, a line a finished row otherwise. */
function progressPrinter() {
  const tty = process.stderr.isTTY;
  const reported = new Set<number>();
  let lastLine = "";
  let run: BenchRun | null = null;
  const print = (packet: BenchPacket) => {
    run = applyBenchPacket(run, packet);
    if (!run) return;
    const row = run.rows.find((r) => r.status === "running");
    for (const done of run.rows.filter((r) => r.status === "ok" || r.status === "error")) {
      if (reported.has(done.index)) continue;
      reported.add(done.index);
      const line = `[${done.index + 1}/${run.rows.length}] ${done.modelName} ${describeSettings(done.settings)}: ${summarize(done)}`;
      process.stderr.write(tty ? `\r\x1b[2K${line}\n` : `${line}\n`);
      lastLine = "";
    }
    if (tty && row) {
      lastLine = dim(
        `[${row.index + 1}/${run.rows.length}] ${row.modelName} ${describeSettings(row.settings)}: ${row.repsDone === 0 ? "loading and warming up" : `repetition ${row.repsDone}/${run.spec.reps}`}…`,
      );
      process.stderr.write(`\r\x1b[2K${lastLine}`);
    }
  };
  print.end = () => {
    if (tty && lastLine) process.stderr.write("\r\x1b[2K");
  };
  return print;
}

const tps = (stat: BenchRow["pp"]) => (stat ? `${stat.mean.toFixed(1)} ± ${stat.sd.toFixed(1)}` : "-");

function summarize(row: BenchRow): string {
  if (row.status === "error") return `error: ${row.error?.message ?? "unknown"}`;
  return `pp ${tps(row.pp)} tok/s, tg ${tps(row.tg)} tok/s`;
}

function printRun(run: BenchRun, options: BenchOptions): void {
  if (options.json) {
    printJson(run);
    return;
  }
  if (options.csv) return void process.stdout.write(exportBenchRun(run, "csv").content);
  if (options.md) return void process.stdout.write(exportBenchRun(run, "md").content);
  printTable(
    ["MODEL", "SETTINGS", "PP TOK/S", "TG TOK/S", "TTFT", "LOAD", "PEAK RSS", "STATUS"],
    run.rows.map((row) => [
      row.modelName,
      describeSettings(row.settings),
      tps(row.pp),
      tps(row.tg),
      row.ttftMs !== null ? `${row.ttftMs.toFixed(0)} ms` : "-",
      row.loadMs !== null ? `${row.loadMs.toFixed(0)} ms` : "-",
      row.peakRssBytes !== null ? formatBytes(row.peakRssBytes) : "-",
      row.status === "error" ? `error: ${row.error}` : row.status,
    ]),
  );
  const h = run.hardware;
  if (h)
    process.stdout.write(
      dim(
        `\n${h.cpu} · ${h.physicalCores} cores · ${formatBytes(h.ramBytes)} RAM · ${h.gpus.join(", ") || "no GPU"} · ${h.backend} · llama.cpp ${h.llamaCppVersion}\nrun ${run.id}\n`,
      ),
    );
}

function listRuns(runs: BenchRunSummary[], json?: boolean): void {
  if (json) {
    printJson(runs);
    return;
  }
  if (runs.length === 0) return void process.stdout.write("No bench runs yet. Start one with `hearth bench --model <id>`.\n");
  printTable(
    ["ID", "DATE", "MODELS", "ROWS", "STATUS"],
    runs.map((run) => [run.id, new Date(run.createdAt).toISOString().slice(0, 16).replace("T", " "), run.models.join(", "), String(run.rowCount), run.status]),
  );
}
