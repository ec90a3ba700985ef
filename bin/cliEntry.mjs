// Loads the `hearth` command: the build (out/main/cli.js, made by `npm run build`, starts in a
// tenth of a second) when it is newer than every source file, else the TypeScript sources through
// tsx (about a second), so a fresh checkout or an edit is never run stale.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const built = path.join(root, "out/main/cli.js");

function mtime(file) {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

/** The newest change to anything the build is made from (none in a package without sources). */
function newestSource() {
  let newest = Math.max(mtime(path.join(root, "package.json")), mtime(path.join(root, "resources/catalog.json")));
  const sources = path.join(root, "electron");
  if (!fs.existsSync(sources)) return newest;
  for (const entry of fs.readdirSync(sources, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) newest = Math.max(newest, mtime(path.join(entry.parentPath ?? entry.path, entry.name)));
  }
  return newest;
}

async function load() {
  const builtAt = mtime(built);
  if (builtAt > 0 && builtAt >= newestSource()) return import(pathToFileURL(built).href);
  const { register } = await import("tsx/esm/api");
  register();
  return import("../electron/cli/main.ts");
}

export const { main } = await load();
