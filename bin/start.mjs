#!/usr/bin/env node
// `npm start`: builds and opens the desktop app. Where Electron cannot start (no Electron binary,
// no display), says why in one line and starts browser mode instead, printing its address.
import { spawn, spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);

// Looks for the binary without require("electron"), which would try to download it.
function electronBinary() {
  try {
    const dir = path.dirname(require.resolve("electron/package.json"));
    const relative = fs.readFileSync(path.join(dir, "path.txt"), "utf8").trim();
    const binary = path.join(dir, "dist", relative);
    return fs.existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

const binary = electronBinary();
const hasDisplay = process.platform !== "linux" || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
const build = spawnSync(process.execPath, [path.join(root, "node_modules/electron-vite/bin/electron-vite.js"), "build"], {
  cwd: root,
  stdio: ["ignore", "ignore", "inherit"],
});
if (build.status !== 0) process.exit(build.status ?? 1);
if (binary && hasDisplay) {
  const { electronSqlitePath, fetchElectronSqlite } = await import("../scripts/electronSqlite.mjs");
  if (!fs.existsSync(electronSqlitePath)) fetchElectronSqlite();
  const app = spawn(binary, [root], { cwd: root, stdio: "inherit" });
  app.on("exit", (code) => process.exit(code ?? 0));
} else {
  const why = !binary ? "the Electron binary is not installed (its download was skipped or failed)" : "there is no display";
  process.stderr.write(`Hearth: cannot open the desktop window because ${why}; starting browser mode instead.\n`);
  const { main } = await import("./cliEntry.mjs");
  process.exitCode = await main(["serve", ...(hasDisplay ? ["--open"] : []), ...process.argv.slice(2)]);
}
