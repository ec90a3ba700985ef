import { randomUUID } from "node:crypto";
import fs from "node:fs";
import type { BenchPacket, BenchRow, BenchRun, BenchSpec, HardwareFingerprint, ModelEntry } from "../../shared/contract";
import { HearthError, toErrorData } from "../../shared/errors";
import { EngineHost, type EngineHostOptions } from "../engine/EngineHost";
import type { BenchResult } from "../engine/protocol";
import { hardwareFingerprint } from "../hardware/fingerprint";
import type { ModelLibrary } from "../models/ModelLibrary";
import { expandSettings, meanAndSd } from "./benchMatrix";
import type { BenchStore } from "./BenchStore";

/**
 * Runs bench specs, one at a time. Every row gets an engine process of its own, started, loaded,
 * measured and stopped: load time and peak memory then belong to that row alone, and a model that
 * does not fit or crashes the engine fails its row while the run goes on.
 */
export class BenchRunner {
  private readonly listeners = new Set<(packet: BenchPacket) => void>();
  private active: { run: BenchRun; host: EngineHost | null; cancelled: boolean } | null = null;

  constructor(
    private readonly store: BenchStore,
    private readonly library: ModelLibrary,
    private readonly engineOptions: EngineHostOptions,
  ) {}

  onProgress(listener: (packet: BenchPacket) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Checks the spec, stores the run with its pending rows, and starts it. `done` settles when it ends. */
  start(spec: BenchSpec): { runId: string; done: Promise<BenchRun> } {
    if (this.active) throw new HearthError("ENGINE_BUSY", "A bench run is already going.", { suggestion: "Wait for it to finish, or cancel it." });
    const models = spec.modelIds.map((id) => this.library.get(id));
    const settings = expandSettings(spec);
    const rows: BenchRow[] = models.flatMap((model) => settings.map((rowSettings) => pendingRow(model, rowSettings)));
    for (const [index, row] of rows.entries()) row.index = index;
    const run: BenchRun = { id: randomUUID(), createdAt: Date.now(), finishedAt: null, status: "running", spec, hardware: null, rows };
    this.store.createRun(run);
    this.active = { run, host: null, cancelled: false };
    this.emit(run);
    return { runId: run.id, done: this.execute(models) };
  }

  cancel(runId: string): void {
    if (this.active?.run.id !== runId) throw new HearthError("NOT_FOUND", `No bench run ${runId} is going.`);
    this.active.cancelled = true;
    void this.active.host?.dispose();
  }

  /** Cancels the current run, if any, and stops its engine (used on shutdown). */
  async dispose(): Promise<void> {
    if (!this.active) return;
    this.active.cancelled = true;
    await this.active.host?.dispose();
  }

  private async execute(models: ModelEntry[]): Promise<BenchRun> {
    const active = this.active!;
    const { run } = active;
    let hardware: HardwareFingerprint | null = null;
    try {
      for (const row of run.rows) {
        if (active.cancelled) {
          this.update({ ...row, status: "error", error: cancelled() });
          continue;
        }
        const model = models.find((m) => m.id === row.modelId)!;
        this.update({ ...row, status: "running" });
        const host = new EngineHost(this.engineOptions);
        active.host = host;
        try {
          if (!fs.existsSync(model.path)) throw new HearthError("MODEL_FILE_MISSING", `The file of ${model.name} is gone: ${model.path}`);
          const { settings } = row;
          const loaded = await host.load(
            { id: model.id, name: model.name, path: model.path },
            {
              contextSize: settings.contextSize,
              gpuLayers: settings.gpuLayers,
              flashAttention: settings.flashAttention,
              // Weights read into memory, not mapped: a mapped file's pages can be reclaimed mid-run and skew the figures.
              useMmap: false,
              ...(settings.threads !== null ? { threads: settings.threads } : {}),
              ...(settings.batchSize !== null ? { batchSize: settings.batchSize } : {}),
            },
          );
          hardware ??= hardwareFingerprint(await host.systemInfo());
          const result = await host.bench({ pp: settings.pp, tg: settings.tg, depth: settings.depth, reps: run.spec.reps }, (done) =>
            this.update({ ...this.row(row.index), repsDone: done }),
          );
          this.update({ ...this.row(row.index), ...figures(row, result), status: "ok", loadMs: loaded.loadMs, threadsUsed: loaded.threads });
        } catch (error) {
          this.update({ ...this.row(row.index), status: "error", error: active.cancelled ? cancelled() : toErrorData(error) });
        } finally {
          active.host = null;
          await host.dispose();
        }
      }
    } finally {
      run.status = active.cancelled ? "cancelled" : "done";
      run.finishedAt = Date.now();
      run.hardware = hardware ?? hardwareFingerprint(null);
      this.store.finishRun(run);
      this.active = null;
      this.emit(run);
    }
    return run;
  }

  private row(index: number): BenchRow {
    return this.active!.run.rows[index]!;
  }

  private update(row: BenchRow): void {
    const { run } = this.active!;
    run.rows[row.index] = row;
    this.store.saveRow(run.id, row);
    this.send({ type: "row", runId: run.id, row: structuredClone(row) });
  }

  /** The whole run, when it starts and ends. */
  private emit(run: BenchRun): void {
    this.send({ type: "run", run: structuredClone(run) });
  }

  private send(packet: BenchPacket): void {
    for (const listener of this.listeners) listener(packet);
  }
}

const cancelled = () => toErrorData(new HearthError("ABORTED", "Cancelled."));

function pendingRow(model: ModelEntry, settings: BenchRow["settings"]): BenchRow {
  return {
    index: 0,
    modelId: model.id,
    modelName: model.name,
    quantization: model.quantization,
    settings,
    status: "pending",
    error: null,
    repsDone: 0,
    pp: null,
    tg: null,
    ttftMs: null,
    loadMs: null,
    peakRssBytes: null,
    vramBytes: null,
    threadsUsed: null,
  };
}

/** Tokens per second for each repetition, then their mean and spread. */
function figures(row: BenchRow, result: BenchResult): Partial<BenchRow> {
  const { pp, tg } = row.settings;
  const samples = result.samples;
  return {
    pp: pp > 0 ? meanAndSd(samples.map((s) => pp / (s.ppMs / 1000))) : null,
    tg: tg > 0 ? meanAndSd(samples.map((s) => tg / (s.tgMs / 1000))) : null,
    ttftMs: pp > 0 ? meanAndSd(samples.map((s) => s.ttftMs)).mean : null,
    peakRssBytes: result.peakRssBytes,
    vramBytes: result.vramUsedBytes,
    repsDone: samples.length,
  };
}
