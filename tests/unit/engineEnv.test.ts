import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { engineEnv } from "../../electron/core/engine/engineEnv";
import { forkEngine } from "../../electron/core/engine/spawnEngine";

describe("the engine process's environment", () => {
  it("asks glibc for huge pages on Linux, keeping the rest of the environment", () => {
    expect(engineEnv({ HOME: "/home/a" }, "linux")).toEqual({ HOME: "/home/a", GLIBC_TUNABLES: "glibc.malloc.hugetlb=1" });
    expect(engineEnv({ GLIBC_TUNABLES: "glibc.malloc.arena_max=2" }, "linux").GLIBC_TUNABLES).toBe("glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1");
  });

  it("leaves a user's own choice of the tunable alone", () => {
    expect(engineEnv({ GLIBC_TUNABLES: "glibc.malloc.hugetlb=0" }, "linux").GLIBC_TUNABLES).toBe("glibc.malloc.hugetlb=0");
    expect(engineEnv({ GLIBC_TUNABLES: "glibc.malloc.arena_max=2:glibc.malloc.hugetlb=2" }, "linux").GLIBC_TUNABLES).toBe(
      "glibc.malloc.arena_max=2:glibc.malloc.hugetlb=2",
    );
  });

  it("changes nothing elsewhere than Linux", () => {
    expect(engineEnv({ HOME: "/Users/a" }, "darwin")).toEqual({ HOME: "/Users/a" });
    expect(engineEnv({}, "win32")).toEqual({});
  });
});

// Where THP is "madvise" (most distributions), only a process that asks gets huge pages; with
// "always" every process does and with "never" none, so neither could show the engine asks.
const thpMode = (() => {
  try {
    return /\[(\w+)\]/.exec(fs.readFileSync("/sys/kernel/mm/transparent_hugepage/enabled", "utf8"))?.[1] ?? null;
  } catch {
    return null;
  }
})();

describe.skipIf(thpMode !== "madvise")("an engine process forked by Hearth (skipped where transparent huge pages are not on request)", () => {
  let dir: string | null = null;
  afterEach(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    dir = null;
  });

  it("gets huge pages for a large malloc'd buffer, as llama.cpp's weights are", async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-engine-env-"));
    // Stands in for the worker: fills 64 MiB (Node's buffers come from malloc) and reports.
    const entry = path.join(dir, "worker.mjs");
    fs.writeFileSync(
      entry,
      `import fs from "node:fs";
const buffer = Buffer.alloc(64 * 1024 * 1024, 1);
const huge = /AnonHugePages:\\s+(\\d+)/.exec(fs.readFileSync("/proc/self/smaps_rollup", "utf8"))[1];
process.send({ type: "hugeKiB", value: Number(huge), touched: buffer[123] });
process.disconnect();`,
    );
    const engine = forkEngine(entry)({ backend: "cpu", binary: "prebuilt" });
    const message = await new Promise<unknown>((resolve, reject) => {
      engine.onMessage(resolve);
      engine.onExit((code) => reject(new Error(`the process ended (${code}) without reporting`)));
    });
    expect(message).toMatchObject({ type: "hugeKiB", touched: 1 });
    expect((message as { value: number }).value).toBeGreaterThanOrEqual(32 * 1024);
  });
});
