#!/usr/bin/env node
// Fetches better-sqlite3's native addon built for this project's Electron into
// resources/native/, beside (not instead of) the Node build in node_modules, so the desktop app
// and the CLI/tests each load their own without rebuilding node_modules back and forth.
// Needs the network (the prebuilt binaries are on GitHub); `npm start` runs it when Electron is there.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);
export const electronSqlitePath = path.join(root, "resources/native/better_sqlite3.node");

export function fetchElectronSqlite() {
  const electronVersion = require("electron/package.json").version;
  const sqliteDir = path.dirname(require.resolve("better-sqlite3/package.json"));
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-sqlite-"));
  try {
    fs.cpSync(sqliteDir, work, { recursive: true, filter: (src) => !src.includes(`${path.sep}build${path.sep}`) });
    const prebuild = require.resolve("prebuild-install/bin.js");
    execFileSync(process.execPath, [prebuild, "--runtime", "electron", "--target", electronVersion, "--arch", process.arch], { cwd: work, stdio: "inherit" });
    fs.mkdirSync(path.dirname(electronSqlitePath), { recursive: true });
    fs.copyFileSync(path.join(work, "build/Release/better_sqlite3.node"), electronSqlitePath);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  fetchElectronSqlite();
  console.log(`better-sqlite3 for Electron: ${electronSqlitePath}`);
}
