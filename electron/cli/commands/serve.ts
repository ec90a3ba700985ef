import type { Command } from "commander";
import { spawn } from "node:child_process";
import path from "node:path";
import { existsSync } from "node:fs";
import fs from "node:fs/promises";
import { fileURLToPath, pathToFileURL } from "node:url";
import { resolveDataDir } from "../../core/paths";
import { MAX_API_SLOTS } from "../../shared/limits";
import { sqliteBinding } from "../context";
import { UsageError } from "../output";
import { integer } from "../parsers";
import { readTokenFile } from "../readTokenFile";

/** The built UI: beside the built CLI (out/main → out/renderer), or from the sources' folder. */
function builtRenderer(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [path.join(here, "../renderer"), path.resolve(here, "../../../out/renderer")];
  return candidates.find((dir) => existsSync(path.join(dir, "index.html"))) ?? candidates[1]!;
}

interface ServeOptions {
  host: string;
  port: number;
  open?: boolean;
  token?: string;
  tokenFile?: string;
  allowRemote?: boolean;
  tlsCert?: string;
  tlsKey?: string;
  insecureHttp?: boolean;
  allowHost: string[];
  backend?: "auto" | "cpu";
  api?: boolean;
  apiPort?: number;
  apiKeyFile?: string;
  apiHost?: string;
  apiCors: string[];
  apiSlots?: number;
  apiQueue?: number;
  apiIdle?: number;
}

export function registerServe(program: Command): void {
  program
    .command("serve")
    .description("browser mode: serve the Hearth UI and its contract on this machine")
    .option("--host <address>", "address to listen on (loopback unless --allow-remote)", "127.0.0.1")
    .option("--port <n>", "port (0 picks a free one)", integer(0, 65_535), 4870)
    .option("--open", "open the UI in the default browser")
    .option("--allow-remote", "allow a non-loopback --host (needs TLS or --insecure-http)")
    .option("--token-file <file>", "read this run's secret from a file (default: 256 random bits; remote mode needs 128 or more); or set HEARTH_SERVE_TOKEN")
    .option("--token <secret>", "the secret on the command line (visible to other users in the process list: prefer --token-file)")
    .option("--tls-cert <file>", "PEM certificate: serve HTTPS (required for remote mode)")
    .option("--tls-key <file>", "PEM private key for --tls-cert")
    .option("--insecure-http", "remote mode over plain HTTP (a trusted network, or TLS ended by a proxy)")
    .option("--allow-host <name>", "another name remote browsers reach this machine by (repeatable)", (value: string, all: string[]) => [...all, value], [])
    .option("--api", "also serve the OpenAI-compatible API (/v1), on this machine's loopback address unless --api-host")
    .option("--api-host <address>", "the API's address (loopback unless --allow-remote; then a key and TLS or --insecure-http are required)")
    .option(
      "--api-cors <origin>",
      "a web origin whose pages may call the API (repeatable; none by default)",
      (value: string, all: string[]) => [...all, value],
      [],
    )
    .option("--api-port <n>", "the API's port (0 picks a free one; default: the Server page's, 4871)", integer(0, 65_535))
    .option("--api-key-file <file>", "require this key (Authorization: Bearer); or set HEARTH_API_KEY")
    .option("--api-slots <n>", `API replies served at once from one model, batched (default 4; at most ${MAX_API_SLOTS})`, integer(1, MAX_API_SLOTS))
    .option("--api-queue <n>", "API requests that may wait for a slot; past that, 429 (default 8)", integer(0, 1000))
    .option("--api-idle <minutes>", "unload the API's model after this many idle minutes (0: keep it; default 10)", integer(0, 10_080))
    .addHelpText(
      "after",
      "\nThe printed address carries the run's token (?token=…); the page trades it for a session cookie.\n\nExamples:\n  $ hearth serve --open\n  $ hearth serve --port 0 --data-dir /tmp/hearth-demo\n  $ hearth serve --api   # then: OPENAI_BASE_URL=http://127.0.0.1:4871/v1\n  $ hearth serve --host 0.0.0.0 --allow-remote --tls-cert cert.pem --tls-key key.pem",
    )
    .action(async (options: ServeOptions, command: Command) => {
      const globals = command.optsWithGlobals<{ dataDir?: string }>();
      if (Boolean(options.tlsCert) !== Boolean(options.tlsKey)) throw new UsageError("--tls-cert and --tls-key go together.");
      if (options.token)
        process.stderr.write("hearth: --token is visible to other users of this machine in the process list; prefer --token-file or HEARTH_SERVE_TOKEN.\n");
      const token = options.token ?? (options.tokenFile ? await readTokenFile(options.tokenFile) : process.env.HEARTH_SERVE_TOKEN?.trim() || undefined);
      const [{ createCore }, { startBrowserServer }] = await Promise.all([import("../../core/createCore"), import("../../core/server/BrowserServer")]);
      const core = createCore({ dataDir: resolveDataDir(globals.dataDir), backend: options.backend, sqliteBinding: sqliteBinding() });
      try {
        const server = await startBrowserServer({
          core,
          rendererDir: process.env.HEARTH_RENDERER_DIR ?? builtRenderer(),
          host: options.host,
          port: options.port,
          token,
          allowRemote: options.allowRemote,
          tls: options.tlsCert && options.tlsKey ? { cert: options.tlsCert, key: options.tlsKey } : undefined,
          insecureHttp: options.insecureHttp,
          allowHosts: options.allowHost,
        });
        // Downloads a closed or crashed Hearth left behind continue from their bytes on disk.
        core.downloads.startQueue();
        process.stdout.write(`Hearth UI: ${server.url}\n`);
        if (options.api) await startApi(core, options);
        else await core.api.autoStart();
        if (core.api.status().running && !options.api) process.stdout.write(`Hearth API: ${core.api.status().url}\n`);
        const opener = options.open ? await openInBrowser(server.url, core.paths.cache) : null;
        await new Promise<void>((resolve) => {
          process.once("SIGINT", resolve);
          process.once("SIGTERM", resolve);
        });
        await opener?.cleanUp();
        await server.close();
      } finally {
        await core.close();
      }
    });
}

/**
 * Opens the UI in the default browser. The address (with its token) is not handed to the opener
 * on its command line, where other users could read it: a page only this user can read (0600)
 * forwards the browser to it.
 */
async function openInBrowser(url: string, cacheDir: string): Promise<{ cleanUp(): Promise<void> }> {
  const page = path.join(cacheDir, `open-${process.pid}.html`);
  await fs.mkdir(cacheDir, { recursive: true, mode: 0o700 });
  await fs.writeFile(page, `<!doctype html><meta charset="utf-8"><meta http-equiv="refresh" content="0;url=${url}"><title>Hearth</title>`, { mode: 0o600 });
  const opener = process.platform === "darwin" ? "open" : process.platform === "win32" ? "explorer" : "xdg-open";
  spawn(opener, [pathToFileURL(page).href], { stdio: "ignore", detached: true })
    .on("error", () => process.stderr.write(`Open the address above in your browser.\n`))
    .unref();
  return { cleanUp: () => fs.rm(page, { force: true }) };
}

/** The OpenAI-compatible API beside the UI: its address on stdout, each request's line (never its text) on stderr. */
async function startApi(core: import("../../core/createCore").Core, options: ServeOptions): Promise<void> {
  const key = options.apiKeyFile ? await readTokenFile(options.apiKeyFile, "--api-key-file") : process.env.HEARTH_API_KEY?.trim() || undefined;
  core.api.onRequest((entry) =>
    process.stderr.write(
      `api: ${entry.method} ${entry.path} ${entry.status}${entry.model ? ` ${entry.model}` : ""}${entry.completionTokens !== null ? ` · ${entry.completionTokens} tokens` : ""}${entry.tokensPerSecond !== null ? ` · ${entry.tokensPerSecond.toFixed(1)} tok/s` : ""} · ${entry.latencyMs} ms\n`,
    ),
  );
  const status = await core.api.start({
    port: options.apiPort,
    slots: options.apiSlots,
    queue: options.apiQueue,
    idleMinutes: options.apiIdle,
    key,
    corsOrigins: options.apiCors,
    // Browser mode's remote flags reach the API only when it is asked to listen elsewhere too.
    exposure: options.apiHost
      ? {
          host: options.apiHost,
          allowRemote: options.allowRemote,
          tls: options.tlsCert && options.tlsKey ? { cert: options.tlsCert, key: options.tlsKey } : undefined,
          insecureHttp: options.insecureHttp,
          allowHosts: options.allowHost,
        }
      : undefined,
  });
  process.stdout.write(`Hearth API: ${status.url}\n`);
  if (status.key.set) {
    const where = options.apiKeyFile ? `in ${options.apiKeyFile}` : key ? "in HEARTH_API_KEY" : "made on the Server page";
    process.stdout.write(`API key: required (Authorization: Bearer, the key ${where})\n`);
  }
}
