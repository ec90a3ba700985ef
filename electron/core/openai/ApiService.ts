import { randomBytes } from "node:crypto";
import type { ApiLogEntry, ApiStatus } from "../../shared/contract";
import { HearthError } from "../../shared/errors";
import type { EngineHostOptions } from "../engine/EngineHost";
import type { ModelLibrary } from "../models/ModelLibrary";
import type { SecretVault } from "../secrets/SecretVault";
import type { SettingsStore } from "../store/SettingsStore";
import type { Exposure } from "../server/exposure";
import type { startOpenAiServer } from "./OpenAiServer";

export const API_KEY_SECRET = "api-key";

/** Requests the Server page shows, newest first. */
const SHOWN_LOG = 200;

type Running = Awaited<ReturnType<typeof startOpenAiServer>>;

/** What one run may set apart from the app's settings (`hearth serve --api`'s flags). */
export interface ApiRunOptions {
  port?: number;
  slots?: number;
  queue?: number;
  idleMinutes?: number;
  /** A key for this run only (a file or HEARTH_API_KEY), over the one the app keeps. */
  key?: string;
  /** Where it listens, when not this machine's loopback address (needs a key and TLS). */
  exposure?: Partial<Exposure>;
  /** Web origins whose pages may call it. */
  corsOrigins?: string[];
}

/**
 * The OpenAI-compatible API's life in the app: started and stopped from the Server page (or with
 * the app, or by `hearth serve --api`), its key made and revoked there (kept in the vault; shown
 * whole once, when made), and its requests as they end, for the page's live log.
 */
export class ApiService {
  private running: Running | null = null;
  private starting: Promise<ApiStatus> | null = null;
  private runKey: string | null = null;
  private error: string | null = null;
  private readonly log: ApiLogEntry[] = [];
  private readonly listeners = new Set<(status: ApiStatus) => void>();
  private readonly requestListeners = new Set<(entry: ApiLogEntry) => void>();

  constructor(
    private readonly library: ModelLibrary,
    private readonly secrets: SecretVault,
    private readonly settings: SettingsStore,
    private readonly engine: EngineHostOptions,
  ) {}

  status(): ApiStatus {
    const key = this.key();
    return {
      running: this.running !== null,
      url: this.running?.url ?? null,
      key: { set: key !== null, last4: key ? key.slice(-4) : null },
      keyFromCommandLine: this.runKey !== null,
      model: this.running?.api.engine.loadedModel?.id ?? null,
      load: this.running?.api.load ?? { running: 0, slots: this.settings.get().apiSlots, waiting: 0 },
      log: this.log.slice(0, SHOWN_LOG),
      error: this.error,
    };
  }

  /** Starts the API (once; a second call while it runs answers its status). */
  start(options: ApiRunOptions = {}): Promise<ApiStatus> {
    if (this.running) return Promise.resolve(this.status());
    this.starting ??= this.open(options).finally(() => {
      this.starting = null;
    });
    return this.starting;
  }

  /** Starts it when Settings says it starts with the app; a failure is shown on the Server page, not thrown. */
  async autoStart(): Promise<void> {
    if (this.settings.get().apiAutoStart) await this.start().catch(() => undefined);
  }

  async stop(): Promise<ApiStatus> {
    const running = this.running;
    this.running = null;
    this.runKey = null;
    await running?.close();
    this.emit();
    return this.status();
  }

  /** A new key, required from now on (the old one stops working at once); answered whole this once. */
  createKey(): { key: string; status: ApiStatus } {
    const key = `sk-hearth-${randomBytes(24).toString("base64url")}`;
    this.secrets.set(API_KEY_SECRET, key);
    this.emit();
    return { key, status: this.status() };
  }

  /** No key from now on: the API answers any program on this machine. */
  revokeKey(): ApiStatus {
    this.secrets.delete(API_KEY_SECRET);
    this.emit();
    return this.status();
  }

  onChange(listener: (status: ApiStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Each request as it ends (the CLI prints a line for it). */
  onRequest(listener: (entry: ApiLogEntry) => void): () => void {
    this.requestListeners.add(listener);
    return () => this.requestListeners.delete(listener);
  }

  async dispose(): Promise<void> {
    await this.stop();
  }

  private key(): string | null {
    return this.runKey ?? this.secrets.get(API_KEY_SECRET);
  }

  private async open(options: ApiRunOptions): Promise<ApiStatus> {
    const settings = this.settings.get();
    this.runKey = options.key ?? null;
    const { startOpenAiServer } = await import("./OpenAiServer");
    try {
      this.running = await startOpenAiServer({
        library: this.library,
        ...options.exposure,
        corsOrigins: options.corsOrigins,
        port: options.port ?? settings.apiPort,
        apiKey: () => this.key(),
        slots: options.slots ?? settings.apiSlots,
        maxQueue: options.queue ?? settings.apiQueue,
        idleMs: (options.idleMinutes ?? settings.apiIdleMinutes) * 60_000,
        backend: this.engine.backend,
        spawn: this.engine.spawn,
        budget: this.engine.budget,
        onRequest: (entry) => {
          this.log.unshift(entry);
          if (this.log.length > SHOWN_LOG) this.log.pop();
          for (const listener of this.requestListeners) listener(entry);
          this.emit();
        },
      });
      this.error = null;
      // The page shows the model the API holds: said again when it loads or is unloaded (idle, or for room).
      let held = this.running.api.engine.loadedModel?.id ?? null;
      this.running.api.engine.onStateChange(() => {
        const now = this.running?.api.engine.loadedModel?.id ?? null;
        if (now === held) return;
        held = now;
        this.emit();
      });
    } catch (error) {
      this.runKey = null;
      const code = (error as NodeJS.ErrnoException).code;
      const port = options.port ?? settings.apiPort;
      this.error = code === "EADDRINUSE" ? `Port ${port} is in use by another program.` : error instanceof Error ? error.message : String(error);
      this.emit();
      if (code === "EADDRINUSE") throw new HearthError("IN_USE", this.error, { suggestion: "Choose another port on the Server page (or --api-port)." });
      throw error;
    }
    this.emit();
    return this.status();
  }

  private emit(): void {
    const status = this.status();
    for (const listener of this.listeners) listener(status);
  }
}
