/**
 * "Optimize for this machine" around the build: the binary an engine loads, switching it, and
 * the refusals. The build itself (minutes) and its comparison run in the slow tier
 * (engineBuildSlow.test.ts, `npm run test:slow`).
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCore, type Core } from "../../electron/core/createCore";
import { EngineHost } from "../../electron/core/engine/EngineHost";
import { type EngineBinary, localBuildExists } from "../../electron/core/engine/localBuild";
import { loadLibraryModel } from "../../electron/core/engine/loadLibraryModel";
import { runCli } from "../support/runCli";
import { tempDir } from "../support/tempDir";
import { testModelPath } from "../support/testModel";

const root = tempDir("hearth-engine-build-");
const dataDir = path.join(root, "data");
// A llama folder without node-llama-cpp's bundled source: nothing can be built from it.
const bare = path.join(root, "llama");
let core: Core;
let modelId: string;

beforeAll(async () => {
  fs.mkdirSync(bare, { recursive: true });
  core = createCore({ dataDir, backend: "cpu", keychain: null, llamaDir: bare });
  modelId = (await core.library.import(testModelPath, "reference")).id;
}, 60_000);

afterAll(async () => {
  await core.close();
});

describe("the llama.cpp binary engines load", () => {
  it("is the prebuilt one until a local build is chosen; a model loaded after a change loads in the new choice", async () => {
    let choice: EngineBinary = "prebuilt";
    const engine = new EngineHost({ backend: "cpu", binary: () => choice });
    try {
      expect(engine.binary).toBeNull();
      await loadLibraryModel(engine, core.library, modelId, { contextSize: 256 });
      expect(engine.binary).toBe("prebuilt");
      expect((await engine.systemInfo()).llamaCpp).not.toMatch(/built on this machine/);
      const first = engine.pid;
      // The next load replaces the process; it says which binary it really loaded (the prebuilt one where no local build exists).
      choice = "local";
      await loadLibraryModel(engine, core.library, modelId, { contextSize: 256 });
      expect(engine.pid).not.toBe(first);
      expect(engine.binary).toBe(localBuildExists() ? "local" : "prebuilt");
      // A bench's record of the machine says which binary it measured.
      expect((await engine.systemInfo()).llamaCpp.endsWith("(built on this machine)")).toBe(engine.binary === "local");
      expect(engine.state.status).toBe("ready");
      // Unchanged, a load keeps the process.
      const second = engine.pid;
      await loadLibraryModel(engine, core.library, modelId, { contextSize: 256 });
      expect(engine.pid).toBe(second);
    } finally {
      await engine.dispose();
    }
  }, 60_000);

  it("refuses, in one line, to build where it cannot, and to use a local build that does not exist", async () => {
    const status = await core.engineBuilds.status();
    expect(status).toMatchObject({ using: "prebuilt", localBuild: false, job: null, report: null });
    expect(status.problem).toMatch(/copy of the llama.cpp source is missing/);
    await expect(core.engineBuilds.optimize()).rejects.toMatchObject({ code: "INVALID_INPUT", message: status.problem });
    await expect(core.engineBuilds.use("local")).rejects.toMatchObject({
      code: "INVALID_INPUT",
      suggestion: expect.stringMatching(/Optimize for this machine/),
    });
    expect(core.settings.get().engineBinary).toBe("prebuilt");
  });

  it("hearth engine: status in words and as JSON, a wrong binary refused as a usage error", async () => {
    const status = await runCli(["--data-dir", dataDir, "engine", "status"]);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/In use: node-llama-cpp's prebuilt binary/);
    const wrong = await runCli(["--data-dir", dataDir, "engine", "use", "fastest"]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/"fastest" is not a binary: say prebuilt or local/);
    const json = await runCli(["--data-dir", dataDir, "engine", "status", "--json"]);
    expect(JSON.parse(json.stdout)).toMatchObject({ using: "prebuilt", job: null });
  }, 60_000);
});
