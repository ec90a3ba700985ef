import path from "node:path";
import type { BackendChoice } from "../shared/contract";
import { ArenaService } from "./bench/ArenaService";
import { BenchRunner } from "./bench/BenchRunner";
import { BenchStore } from "./bench/BenchStore";
import { ChatService } from "./chat/ChatService";
import { ChatEngine } from "./engine/ChatEngine";
import { EngineHost, type EngineHostOptions } from "./engine/EngineHost";
import { type BudgetLimits, MemoryBudget } from "./engine/MemoryBudget";
import type { SpawnEngine } from "./engine/spawnEngine";
import { DocumentIndexer } from "./documents/DocumentIndexer";
import { DocumentStore } from "./documents/DocumentStore";
import { GridRunner } from "./grids/GridRunner";
import { GridStore } from "./grids/GridStore";
import { DownloadManager, type DownloadOptions } from "./downloads/DownloadManager";
import { freeDiskBytes } from "./downloads/diskSpace";
import { EngineBuilds } from "./engine/EngineBuilds";
import { HardwareService } from "./hardware/HardwareService";
import { HubClient } from "./hub/HubClient";
import { ModelAdvisor } from "./hub/ModelAdvisor";
import { ModelLibrary } from "./models/ModelLibrary";
import { NetworkLog } from "./network/NetworkLog";
import { Outbound } from "./network/Outbound";
import { dataPaths } from "./paths";
import { ApiService } from "./openai/ApiService";
import { RemoteEngines } from "./remote/RemoteEngines";
import { ConversationStore } from "./store/ConversationStore";
import { openDatabase, type Db } from "./store/openDatabase";
import { SettingsStore } from "./store/SettingsStore";
import { openErrorLog } from "./errorLog";
import { makePrivateDir } from "./privateFiles";
import { osKeychain } from "./secrets/osKeychain";
import { SecretVault, type Keychain, type SecretCipher } from "./secrets/SecretVault";

export interface CoreOptions {
  dataDir: string;
  backend?: BackendChoice;
  /** How to start the engine process: child_process under Node (default), utilityProcess under Electron. */
  spawnEngine?: SpawnEngine;
  /** What loaded models may hold, asked at each load (tests set a small one); default: most of the RAM. */
  memoryBudget?: () => BudgetLimits;
  /** Where "Optimize for this machine" looks for llama.cpp's source and builds (another folder in tests). */
  llamaDir?: string;
  /** better-sqlite3's native addon for the running runtime. */
  sqliteBinding?: string;
  /** Download tuning (tests shorten the waits and simulate a full disk). */
  downloads?: Partial<DownloadOptions>;
  /** The desktop app's safeStorage; elsewhere secrets go to the OS keychain (or a 0600 file). */
  secretCipher?: SecretCipher;
  /** The OS keychain by default; tests pass null so they never touch the user's own. */
  keychain?: Keychain | null;
}

/** The name the Hugging Face token is kept under. */
export const HF_TOKEN_SECRET = "hfToken";

const DEFAULT_DOWNLOAD_OPTIONS: DownloadOptions = {
  maxConcurrent: 2,
  maxAttempts: 5,
  retryUnitMs: 1000,
  stallMs: 30_000,
  freeDiskBytes,
  earlyHeaderAtBytes: 64 * 1024 * 1024,
  connections: () => 4,
  minSegmentBytes: 32 * 1024 * 1024,
};

export interface Core {
  readonly paths: ReturnType<typeof dataPaths>;
  readonly db: Db;
  readonly conversations: ConversationStore;
  readonly settings: SettingsStore;
  readonly secrets: SecretVault;
  readonly library: ModelLibrary;
  readonly engine: ChatEngine;
  readonly remotes: RemoteEngines;
  readonly api: ApiService;
  readonly chat: ChatService;
  readonly benchStore: BenchStore;
  readonly bench: BenchRunner;
  readonly arena: ArenaService;
  readonly networkLog: NetworkLog;
  readonly outbound: Outbound;
  readonly hub: HubClient;
  readonly hardware: HardwareService;
  readonly engineBuilds: EngineBuilds;
  readonly advisor: ModelAdvisor;
  readonly downloads: DownloadManager;
  readonly documents: DocumentStore;
  readonly indexer: DocumentIndexer;
  readonly gridStore: GridStore;
  readonly grids: GridRunner;
  /** Offline by the environment (HEARTH_OFFLINE=1) or by the setting. */
  isOffline(): boolean;
  /** Offline by the environment, whatever the setting says. */
  offlineForced(): boolean;
  close(): Promise<void>;
}

/** The OS keychain, unless HEARTH_NO_KEYCHAIN=1 (the tests: they must never touch the user's own). */
function systemKeychain(dataDir: string): Keychain | null {
  return process.env.HEARTH_NO_KEYCHAIN === "1" ? null : osKeychain(dataDir);
}

/** Wires the core services over one data folder. The engine process starts on first use. */
export function createCore(options: CoreOptions): Core {
  const paths = dataPaths(options.dataDir);
  makePrivateDir(paths.dataDir);
  openErrorLog(paths.logs);
  const db = openDatabase(paths.database, { nativeBinding: options.sqliteBinding });
  const conversations = new ConversationStore(db);
  conversations.markAbandonedStreamsInterrupted();
  const settings = new SettingsStore(db);
  const secrets = new SecretVault(paths.secrets, {
    cipher: options.secretCipher,
    keychain: options.secretCipher ? null : options.keychain !== undefined ? options.keychain : systemKeychain(paths.dataDir),
  });
  // Earlier Hearths kept the token in the settings table, in clear: it moves to the vault once.
  settings.moveLegacyValue(HF_TOKEN_SECRET, (old) => {
    if (typeof old === "string" && old.trim()) secrets.set(HF_TOKEN_SECRET, old.trim());
  });
  const library = new ModelLibrary(db, () => settings.get().modelsDir || paths.models);
  const networkLog = new NetworkLog(db);
  const offlineForced = () => process.env.HEARTH_OFFLINE === "1";
  const isOffline = () => offlineForced() || settings.get().offline;
  const outbound = new Outbound(networkLog, isOffline, offlineForced, () => settings.get().proxy);
  const remotes = new RemoteEngines(db, secrets, outbound);
  // Every engine process below loads its models within one memory budget, in the llama.cpp
  // binary "Optimize for this machine" chose (read as each model loads).
  const engineOptions: EngineHostOptions = {
    backend: options.backend,
    spawn: options.spawnEngine,
    budget: new MemoryBudget(options.memoryBudget),
    binary: () => engineBuilds.binary(),
  };
  const engineBuilds: EngineBuilds = new EngineBuilds({ settings, library, engineOptions, llamaDir: options.llamaDir });
  // The OpenAI-compatible API, in an engine process of its own when it runs.
  const api = new ApiService(library, secrets, settings, engineOptions);
  // The chat's model: a library model in an engine process, or a remote engine's.
  const engine = new ChatEngine(new EngineHost(engineOptions), library, remotes, outbound);
  const documents = new DocumentStore(db);
  // Embeddings run in an engine process of their own, started like the chat's (or on a remote engine).
  const indexer = new DocumentIndexer(documents, library, engineOptions, () => settings.get().ocr, {
    remotes,
    outbound,
  });
  const chat = new ChatService(conversations, library, engine, settings, indexer);
  const gridStore = new GridStore(db);
  // Review grids are answered by the chat's engine, between replies (the engine runs one job at a time).
  const grids = new GridRunner(gridStore, documents, indexer, engine, library);
  const benchStore = new BenchStore(db);
  benchStore.markAbandonedRunsInterrupted();
  // Bench rows run in engine processes of their own, started the same way as the chat engine.
  const bench = new BenchRunner(benchStore, library, engineOptions);
  const arena = new ArenaService(library, engineOptions, { remotes, outbound });
  const hub = new HubClient(outbound, () => process.env.HF_TOKEN?.trim() || secrets.get(HF_TOKEN_SECRET) || undefined);
  const hardware = new HardwareService(engineOptions);
  const downloads = new DownloadManager(db, library, hub, outbound, {
    ...DEFAULT_DOWNLOAD_OPTIONS,
    connections: () => settings.get().downloadConnections,
    ...options.downloads,
  });
  const advisor = new ModelAdvisor(hub, outbound, hardware, path.join(paths.cache, "gguf-headers"), (repo, files) => downloads.findDownloaded(repo, files));
  downloads.markInterrupted();
  let closed = false;
  return {
    paths,
    db,
    conversations,
    settings,
    secrets,
    library,
    engine,
    remotes,
    api,
    chat,
    benchStore,
    bench,
    arena,
    networkLog,
    outbound,
    hub,
    hardware,
    engineBuilds,
    advisor,
    downloads,
    documents,
    indexer,
    gridStore,
    grids,
    isOffline,
    offlineForced,
    async close() {
      if (closed) return;
      closed = true;
      await engineBuilds.stop();
      await Promise.all([api.dispose(), bench.dispose(), arena.dispose(), downloads.dispose(), hardware.dispose(), grids.dispose()]);
      // Replies still streaming end (stored as stopped) before the engine and the database close.
      await chat.dispose();
      await indexer.dispose();
      await engine.dispose();
      db.close();
    },
  };
}
