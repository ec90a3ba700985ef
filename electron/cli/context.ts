import type { Command } from "commander";
import type { BackendChoice } from "../shared/contract";
import type { Core } from "../core/createCore";
import { resolveDataDir } from "../core/paths";

/**
 * Opens the core for a command, from the global options, and closes it when the command ends.
 * The core is loaded here, not at start: `--version` and `--help` never pay for it.
 */
export async function withCore<T>(command: Command, run: (core: Core) => Promise<T>, options: { backend?: BackendChoice } = {}): Promise<T> {
  const globals = command.optsWithGlobals<{ dataDir?: string }>();
  const { createCore } = await import("../core/createCore");
  const core = createCore({ dataDir: resolveDataDir(globals.dataDir), backend: options.backend, sqliteBinding: sqliteBinding() });
  try {
    return await run(core);
  } finally {
    await core.close();
  }
}

/**
 * The packaged app runs this CLI with its own binary as Node (ELECTRON_RUN_AS_NODE, see
 * resources/hearth-cli.sh), which names better-sqlite3's build for Electron, shipped in
 * resources/native. Under plain Node, node_modules' own build.
 */
export function sqliteBinding(): string | undefined {
  return process.versions.electron ? process.env.HEARTH_SQLITE_ELECTRON_BINDING : undefined;
}
