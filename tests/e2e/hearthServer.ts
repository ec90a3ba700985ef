import { test } from "@playwright/test";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { projectRoot, testModelPath } from "../support/testModel";

const bin = path.join(projectRoot, "bin/hearth.mjs");

export interface HearthOptions {
  /** What to store before the server starts; by default the test model is imported. */
  seed?: (dataDir: string) => void;
  /** Start from an empty data dir: no model in the library. */
  empty?: boolean;
  /** Extra environment for the server (HF_ENDPOINT for a fake hub). */
  env?: () => NodeJS.ProcessEnv;
  /** Also serve the OpenAI-compatible API (on a free port), its address as `apiUrl`. */
  api?: boolean;
}

/** A real `hearth serve` on a fresh data dir, with the test model in its library (unless `empty`) and what `seed` stores. */
export async function startHearth(options: HearthOptions = {}): Promise<{ url: string; apiUrl: string | null; dataDir: string; stop(): Promise<void> }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-e2e-"));
  if (!options.empty) {
    const imported = spawnSync(process.execPath, [bin, "--data-dir", dataDir, "models", "import", testModelPath], { encoding: "utf8" });
    if (imported.status !== 0) throw new Error(`import failed: ${imported.stderr}`);
  }
  options.seed?.(dataDir);
  const child: ChildProcess = spawn(
    process.execPath,
    [bin, "--data-dir", dataDir, "serve", "--port", "0", ...(options.api ? ["--api", "--api-port", "0"] : [])],
    {
      stdio: ["ignore", "pipe", "inherit"],
      // The tests set tokens: never in the user's own keychain.
      env: { ...process.env, HEARTH_NO_KEYCHAIN: "1", ...options.env?.() },
    },
  );
  const { url, apiUrl } = await new Promise<{ url: string; apiUrl: string | null }>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (chunk) => {
      out += chunk;
      const ui = out.match(/Hearth UI: (\S+)/);
      const api = out.match(/Hearth API: (\S+)/);
      if (ui && (api || !options.api)) resolve({ url: ui[1]!, apiUrl: api?.[1] ?? null });
    });
    child.on("exit", (code) => reject(new Error(`hearth serve exited with ${code}`)));
  });
  return {
    url,
    apiUrl,
    dataDir,
    async stop() {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * One `hearth serve` for the tests of a spec file: started before them, stopped after. Read
 * `url` and `dataDir` inside a test (they exist once the server is up).
 */
export function hearthForSpec(options: HearthOptions = {}): { readonly url: string; readonly dataDir: string } {
  let hearth: Awaited<ReturnType<typeof startHearth>> | undefined;
  test.beforeAll(async () => {
    hearth = await startHearth(options);
  });
  test.afterAll(async () => {
    await hearth?.stop();
  });
  return {
    get url() {
      return hearth!.url;
    },
    get dataDir() {
      return hearth!.dataDir;
    },
  };
}
