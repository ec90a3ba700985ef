import type { EngineBuildReport, EngineBuildStatus } from "../../shared/contract";
import { HearthError, toErrorData } from "../../shared/errors";
import type { ModelLibrary } from "../models/ModelLibrary";
import type { SettingsStore } from "../store/SettingsStore";
import { EngineHost, type EngineHostOptions } from "./EngineHost";
import { loadLibraryModel } from "./loadLibraryModel";
import { type BuildProgress, buildProblem, type EngineBinary, llamaDirectory, localBuildExists, removeLocalBuilds, runLocalBuild } from "./localBuild";

/** The comparison: rounds of both binaries in turn, each a short bench on the same model. */
const ROUNDS = 2;
const BENCH = { pp: 64, tg: 64, depth: 0, reps: 3 };
/** The local build is kept only when it generates this much faster: a tie stays with the binary everyone runs. */
const MARGIN = 1.03;

/** What the build and its comparison need from the rest of Hearth. */
export interface EngineBuildsDeps {
  settings: SettingsStore;
  library: ModelLibrary;
  engineOptions: EngineHostOptions;
  /** node-llama-cpp's llama folder, where the source and the local builds are (another in tests). */
  llamaDir?: string;
}

/**
 * "Optimize for this machine": builds llama.cpp from the source node-llama-cpp ships, for this CPU
 * and with a thread pool that lives across tokens (patches/), then benches it against the
 * prebuilt binary on a model of the library, each in an engine process of its own, and keeps the
 * one that generates faster. The choice is a setting (it survives restarts); engines read it when
 * a model is loaded. Going back is choosing the prebuilt binary, or removing the build.
 */
export class EngineBuilds {
  private job: { controller: AbortController; status: NonNullable<EngineBuildStatus["job"]>; done: Promise<void> } | null = null;
  private error: EngineBuildStatus["error"] = null;
  private checking = false;
  private problemCache: { at: number; problem: string | null } | null = null;
  private readonly listeners = new Set<(status: EngineBuildStatus) => void>();
  private readonly llamaDir: string;

  constructor(private readonly deps: EngineBuildsDeps) {
    this.llamaDir = deps.llamaDir ?? llamaDirectory();
  }

  private problem(): Promise<string | null> {
    return buildProblem(process.env, this.llamaDir);
  }

  private exists(): boolean {
    return localBuildExists(this.llamaDir);
  }

  /** The binary engines load now: the local build only while it exists. */
  binary(): EngineBinary {
    return this.deps.settings.get().engineBinary === "local" && this.exists() ? "local" : "prebuilt";
  }

  async status(): Promise<EngineBuildStatus> {
    // Finding CMake and a compiler spawns processes: asked again at most once a minute.
    if (!this.problemCache || Date.now() - this.problemCache.at > 60_000) this.problemCache = { at: Date.now(), problem: await this.problem() };
    return this.snapshot(this.problemCache.problem);
  }

  onChange(listener: (status: EngineBuildStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Starts the build and the comparison; resolves once started (the status follows it). */
  async optimize(modelId?: string): Promise<EngineBuildStatus> {
    if (this.job || this.checking) throw new HearthError("ALREADY_EXISTS", "The build is already under way.");
    // Held while the toolchain is checked, so a second click cannot start a second build.
    this.checking = true;
    let problem: string | null;
    try {
      problem = await this.problem();
    } finally {
      this.checking = false;
    }
    this.problemCache = { at: Date.now(), problem };
    if (problem) throw new HearthError("INVALID_INPUT", problem);
    const model = modelId ? this.deps.library.get(modelId) : this.smallestModel();
    const controller = new AbortController();
    const status: NonNullable<EngineBuildStatus["job"]> = { phase: "source", done: 0, etaSeconds: null, startedAt: Date.now() };
    this.error = null;
    const done = this.run(model, controller.signal, status)
      .catch((error: unknown) => {
        this.error = toErrorData(error);
      })
      .finally(() => {
        this.job = null;
        this.emit();
      });
    this.job = { controller, status, done };
    this.emit();
    return this.snapshot(problem);
  }

  /** Waits for the run under way (tests, the CLI). */
  async finished(): Promise<void> {
    await this.job?.done;
  }

  async cancel(): Promise<EngineBuildStatus> {
    await this.stop();
    return this.status();
  }

  /** Stops the run under way, if any, and waits for it to end. */
  async stop(): Promise<void> {
    this.job?.controller.abort(new HearthError("ABORTED", "The build was stopped."));
    await this.job?.done;
  }

  async use(binary: EngineBinary): Promise<EngineBuildStatus> {
    if (binary === "local" && !this.exists()) {
      throw new HearthError("INVALID_INPUT", "There is no local build of llama.cpp yet.", {
        suggestion: "Build one first: Optimize for this machine (Settings → Engine), or hearth engine build.",
      });
    }
    this.deps.settings.update({ engineBinary: binary });
    this.emit();
    return this.status();
  }

  async remove(): Promise<EngineBuildStatus> {
    if (this.job) throw new HearthError("INVALID_INPUT", "The build is under way: stop it first.");
    removeLocalBuilds(this.llamaDir);
    this.deps.settings.update({ engineBinary: "prebuilt" });
    this.emit();
    return this.status();
  }

  private async run(model: { id: string; name: string }, signal: AbortSignal, job: NonNullable<EngineBuildStatus["job"]>): Promise<void> {
    let compileStarted: { at: number; done: number } | null = null;
    await runLocalBuild((progress: BuildProgress) => {
      // The build prints a line a file: listeners hear of each whole percent.
      if (progress.phase === job.phase && Math.floor(progress.done * 100) === Math.floor(job.done * 100)) return;
      job.phase = progress.phase;
      job.done = progress.done;
      if (progress.phase === "compile") {
        compileStarted ??= { at: Date.now(), done: progress.done };
        const rate = (progress.done - compileStarted.done) / ((Date.now() - compileStarted.at) / 1000);
        job.etaSeconds = rate > 0 ? Math.round((1 - progress.done) / rate) : null;
      }
      this.emit();
    }, signal);
    if (!this.exists()) throw new HearthError("INTERNAL", "The build ended, but its binary is not where node-llama-cpp keeps local builds.");
    Object.assign(job, { phase: "compare", done: 0, etaSeconds: null });
    this.emit();
    const report = await this.compare(model, signal, (done) => {
      job.done = done;
      this.emit();
    });
    this.deps.settings.update({ engineBinary: report.chosen, engineBuildReport: report });
  }

  /** Both binaries on the model, in rounds of alternating order; medians of each one's runs. */
  private async compare(model: { id: string; name: string }, signal: AbortSignal, onDone: (share: number) => void): Promise<EngineBuildReport> {
    const runs: Record<EngineBinary, { pp: number[]; tg: number[] }> = { prebuilt: { pp: [], tg: [] }, local: { pp: [], tg: [] } };
    let localFailure: string | null = null;
    const steps = ROUNDS * 2;
    for (let round = 0; round < ROUNDS; round++) {
      const order: EngineBinary[] = round % 2 === 0 ? ["prebuilt", "local"] : ["local", "prebuilt"];
      for (const [i, binary] of order.entries()) {
        if (signal.aborted) throw signal.reason;
        if (binary === "local" && localFailure) continue;
        try {
          const speed = await this.benchOnce(model.id, binary);
          runs[binary].pp.push(speed.pp);
          runs[binary].tg.push(speed.tg);
        } catch (error) {
          if (binary === "prebuilt") throw error;
          localFailure = toErrorData(error).message;
        }
        onDone((round * 2 + i + 1) / steps);
      }
    }
    const prebuilt = { pp: median(runs.prebuilt.pp), tg: median(runs.prebuilt.tg) };
    const local = localFailure ? null : { pp: median(runs.local.pp), tg: median(runs.local.tg) };
    const base = { at: Date.now(), model: model.name, prebuilt, local };
    if (!local) return { ...base, chosen: "prebuilt", reason: `The local build failed on ${model.name}: ${localFailure}` };
    const ratio = local.tg / prebuilt.tg;
    const percent = `${Math.abs(Math.round((ratio - 1) * 100))}%`;
    if (ratio >= 2) return { ...base, chosen: "local", reason: `The local build generates ${ratio.toFixed(1)} times as fast on ${model.name}.` };
    if (ratio >= MARGIN) return { ...base, chosen: "local", reason: `The local build generates ${percent} faster on ${model.name}.` };
    return {
      ...base,
      chosen: "prebuilt",
      reason:
        ratio >= 1
          ? `The local build is only ${percent} faster on ${model.name}, within the noise: the prebuilt binary stays.`
          : `The local build is ${percent} slower on ${model.name}: the prebuilt binary stays.`,
    };
  }

  /** One binary's speed on the model, in an engine process of its own. */
  private async benchOnce(modelId: string, binary: EngineBinary): Promise<{ pp: number; tg: number }> {
    const engine = new EngineHost({ ...this.deps.engineOptions, binary: () => binary });
    try {
      await loadLibraryModel(engine, this.deps.library, modelId, { contextSize: 512 });
      if (engine.binary !== binary) throw new HearthError("INTERNAL", `The engine loaded the ${engine.binary} binary instead.`);
      const { samples } = await engine.bench(BENCH);
      return {
        pp: median(samples.map((s) => BENCH.pp / (s.ppMs / 1000))),
        tg: median(samples.map((s) => BENCH.tg / (s.tgMs / 1000))),
      };
    } finally {
      await engine.dispose();
    }
  }

  private smallestModel(): { id: string; name: string } {
    const models = this.deps.library.list().filter((model) => !model.missing);
    if (models.length === 0) {
      throw new HearthError("INVALID_INPUT", "The builds are compared on a model: add one to the library first.");
    }
    return models.reduce((a, b) => (b.fileSize < a.fileSize ? b : a));
  }

  private snapshot(problem: string | null): EngineBuildStatus {
    const settings = this.deps.settings.get();
    return {
      using: this.binary(),
      localBuild: this.exists(),
      problem,
      job: this.job ? { ...this.job.status } : null,
      report: settings.engineBuildReport,
      error: this.error,
    };
  }

  private emit(): void {
    const status = this.snapshot(this.problemCache?.problem ?? null);
    for (const listener of this.listeners) listener(status);
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}
