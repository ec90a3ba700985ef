import os from "node:os";
import path from "node:path";

export const APP_NAME = "Hearth";

/** The OS app-data folder, the same one Electron's `app.getPath("userData")` gives the desktop app. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (platform === "win32") return path.join(env.APPDATA ?? path.join(os.homedir(), "AppData", "Roaming"), APP_NAME);
  if (platform === "darwin") return path.join(os.homedir(), "Library", "Application Support", APP_NAME);
  return path.join(env.XDG_CONFIG_HOME ?? path.join(os.homedir(), ".config"), APP_NAME);
}

/** `--data-dir`, then `HEARTH_DATA_DIR`, then the OS default. */
export function resolveDataDir(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(explicit ?? env.HEARTH_DATA_DIR ?? defaultDataDir(env));
}

export function dataPaths(dataDir: string) {
  return {
    dataDir,
    database: path.join(dataDir, "hearth.db"),
    /** Where each secret is kept (and its value where no keychain exists); 0600. */
    secrets: path.join(dataDir, "secrets.json"),
    models: path.join(dataDir, "models"),
    logs: path.join(dataDir, "logs"),
    /** Things Hearth can fetch again (remote GGUF headers): safe to delete. */
    cache: path.join(dataDir, "cache"),
  };
}
