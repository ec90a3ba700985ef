import type { BackendChoice } from "../shared/contract";
import { ArenaService } from "./bench/ArenaService";
import { BenchRunner } from "./bench/BenchRunner";
import { BenchStore } from "./bench/BenchStore";
import { ChatService } from "./chat/ChatService";
import { EngineHost } from "./engine/EngineHost";
import type { SpawnEngine } from "./engine/spawnEngine";
import { ModelLibrary } from "./models/ModelLibrary";
import { dataPaths } from "./paths";
import { ConversationStore } from "./store/ConversationStore";
import { openDatabase, type Db } from "./store/openDatabase";
import { SettingsStore } from "./store/SettingsStore";

export interface CoreOptions {
  dataDir: string;
  backend?: BackendChoice;
  /** How to start the engine process: child_process under Node (default), utilityProcess under Electron. */
  spawnEngine?: SpawnEngine;
  /** better-sqlite3's native addon for the running runtime. */
  sqliteBinding?: string;
}

export interface Core {
  readonly paths: ReturnType<typeof dataPaths>;
  readonly db: Db;
  readonly conversations: ConversationStore;
  readonly settings: SettingsStore;
  readonly library: ModelLibrary;
  readonly engine: EngineHost;
  readonly chat: ChatService;
  readonly benchStore: BenchStore;
  readonly bench: BenchRunner;
  readonly arena: ArenaService;
  close(): Promise<void>;
}

/** Wires the core services over one data folder. The engine process starts on first use. */
export function createCore(options: CoreOptions): Core {
  const paths = dataPaths(options.dataDir);
  const db = openDatabase(paths.database, { nativeBinding: options.sqliteBinding });
  const conversations = new ConversationStore(db);
  conversations.markAbandonedStreamsInterrupted();
  const settings = new SettingsStore(db);
  const library = new ModelLibrary(db, paths.models);
  const engine = new EngineHost({ backend: options.backend, spawn: options.spawnEngine });
  const chat = new ChatService(conversations, library, engine, settings);
  const benchStore = new BenchStore(db);
  benchStore.markAbandonedRunsInterrupted();
  // Bench rows run in engine processes of their own, started the same way as the chat engine.
  const bench = new BenchRunner(benchStore, library, { backend: options.backend, spawn: options.spawnEngine });
  const arena = new ArenaService(library, { backend: options.backend, spawn: options.spawnEngine });
  let closed = false;
  return {
    paths,
    db,
    conversations,
    settings,
    library,
    engine,
    chat,
    benchStore,
    bench,
    arena,
    async close() {
      if (closed) return;
      closed = true;
      await Promise.all([bench.dispose(), arena.dispose()]);
      await engine.dispose();
      db.close();
    },
  };
}
