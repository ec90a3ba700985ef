import type { Command } from "commander";
import { spawn } from "node:child_process";
import path from "node:path";
import { existsSync } from "node:fs";
import fs from "node:fs/promises";
import { fileURLToPath, pathToFileURL } from "node:url";
import { resolveDataDir } from "../../core/paths";
import { sqliteBinding } from "../context";
import { UsageError } from "../output";
import { integer } from "../parsers";

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
    .addHelpText(
      "after",
      "\nThe printed address carries the run's token (?token=…); the page trades it for a session cookie.\n\nExamples:\n  $ hearth serve --open\n  $ hearth serve --port 0 --data-dir /tmp/hearth-demo\n  $ hearth serve --host 0.0.0.0 --allow-remote --tls-cert cert.pem --tls-key key.pem",
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

async function readTokenFile(file: string): Promise<string> {
  try {
    return (await fs.readFile(file, "utf8")).trim();
  } catch (error) {
    throw new UsageError(`Cannot read --token-file ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`);
  }
}
