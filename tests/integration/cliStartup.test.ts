/**
 * The `hearth` command starts at once: the built CLI runs (no tsx), and a command loads only
 * what it needs. `--version` and `--help` load no schema library, no database and no engine;
 * no command but a GGUF read loads node-llama-cpp outside the engine process.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "../support/tempDir";
import { projectRoot, testModelPath } from "../support/testModel";

const root = tempDir();
const dataDir = path.join(root, "data");

/** Runs `hearth args…` and returns the packages each process (by pid) loaded. */
function loaded(args: string[]): { status: number | null; pid: number; packages: Map<number, Set<string>> } {
  const log = path.join(root, `imports-${Date.now()}-${Math.random()}.log`);
  const result = spawnSync(
    process.execPath,
    ["--import", path.join(projectRoot, "tests/support/importLog.mjs"), path.join(projectRoot, "bin/hearth.mjs"), "--data-dir", dataDir, ...args],
    {
      encoding: "utf8",
      env: { ...process.env, HEARTH_IMPORT_LOG: log, NO_COLOR: "1" },
    },
  );
  const packages = new Map<number, Set<string>>();
  for (const line of fs.existsSync(log) ? fs.readFileSync(log, "utf8").trim().split("\n") : []) {
    const [pid, url] = line.split(" ");
    const name =
      /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url ?? "")?.[1] ?? (url?.includes("/electron/") && url.endsWith(".ts") ? "(typescript sources)" : null);
    if (!name) continue;
    const set = packages.get(Number(pid)) ?? new Set<string>();
    set.add(name);
    packages.set(Number(pid), set);
  }
  return { status: result.status, pid: result.pid!, packages };
}

describe("the hearth command starts at once", () => {
  it("runs the build, not the TypeScript sources (npm test builds first)", () => {
    const built = fs.statSync(path.join(projectRoot, "out/main/cli.js")).mtimeMs;
    const newest = Math.max(
      ...fs
        .readdirSync(path.join(projectRoot, "electron"), { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => fs.statSync(path.join(e.parentPath, e.name)).mtimeMs),
    );
    expect(built, "out/main/cli.js is older than the sources: run `npm run build`").toBeGreaterThanOrEqual(newest);
    const { packages, pid } = loaded(["--version"]);
    expect(packages.get(pid)).not.toContain("tsx");
    expect(packages.get(pid)).not.toContain("(typescript sources)");
  });

  it("--version and --help load no schema library, database or engine", () => {
    for (const args of [["--version"], ["--help"], ["chat", "--help"]]) {
      const { status, pid, packages } = loaded(args);
      expect(status).toBe(0);
      expect([...(packages.get(pid) ?? [])]).toEqual(["commander"]);
    }
  });

  it("lists conversations and chats without loading node-llama-cpp outside the engine", () => {
    expect(spawnSync(process.execPath, [path.join(projectRoot, "bin/hearth.mjs"), "--data-dir", dataDir, "models", "import", testModelPath]).status).toBe(0);
    const list = loaded(["conversations", "list", "--json"]);
    expect(list.status).toBe(0);
    expect(list.packages.get(list.pid)).toContain("better-sqlite3");
    expect(list.packages.get(list.pid)).not.toContain("node-llama-cpp");
    const chat = loaded(["chat", "--model", "stories260k", "--threads", "1", "--max-tokens", "4", "--prompt", "Once"]);
    expect(chat.status).toBe(0);
    // It ran, in the engine process (a child of its own).
    expect(chat.packages.get(chat.pid)).not.toContain("node-llama-cpp");
  });
});
