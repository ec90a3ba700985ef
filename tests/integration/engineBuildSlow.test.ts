/**
 * "Optimize for this machine" for real: llama.cpp built from node-llama-cpp's bundled source
 * (minutes), benched against the prebuilt binary on the test model, the faster kept; the choice
 * survives a restart, and going back works. Slow tier only (`npm run test:slow`, HEARTH_SLOW=1).
 */
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createCore, type Core } from "../../electron/core/createCore";
import { EngineHost } from "../../electron/core/engine/EngineHost";
import { loadLibraryModel } from "../../electron/core/engine/loadLibraryModel";
import type { EngineBuildStatus } from "../../electron/shared/contract";
import { tempDir } from "../support/tempDir";
import { testModelPath } from "../support/testModel";

const slow = process.env.HEARTH_SLOW === "1";
if (!slow) console.log("skipped: building llama.cpp takes minutes; run it with npm run test:slow (HEARTH_SLOW=1).");

const dataDir = path.join(tempDir("hearth-optimize-"), "data");
const cores: Core[] = [];
const open = () => {
  const core = createCore({ dataDir, backend: "cpu", keychain: null });
  cores.push(core);
  return core;
};
afterAll(async () => {
  for (const core of cores) await core.close();
});

/** The binary a model loads in, as that core's engines would load it. */
async function loadedBinary(core: Core, modelId: string) {
  const engine = new EngineHost({ backend: "cpu", binary: () => core.engineBuilds.binary() });
  try {
    await loadLibraryModel(engine, core.library, modelId, { contextSize: 256 });
    return engine.binary;
  } finally {
    await engine.dispose();
  }
}

describe.skipIf(!slow)("optimize for this machine", () => {
  it("builds llama.cpp here with progress, benches it against the prebuilt binary, keeps the faster, and survives a restart; going back works", async () => {
    const core = open();
    const model = await core.library.import(testModelPath, "reference");
    expect((await core.engineBuilds.status()).problem).toBeNull();
    const seen: EngineBuildStatus[] = [];
    core.engineBuilds.onChange((status) => seen.push(status));
    await core.engineBuilds.optimize(model.id);
    await core.engineBuilds.finished();
    const status = await core.engineBuilds.status();
    expect(status.error).toBeNull();
    expect(status.localBuild).toBe(true);
    // Progress went through the source, the compile (with an estimate of the time left) and the comparison.
    const phases = new Set(seen.flatMap((s) => (s.job ? [s.job.phase] : [])));
    expect([...phases]).toEqual(expect.arrayContaining(["compile", "compare"]));
    expect(seen.some((s) => s.job?.phase === "compile" && s.job.etaSeconds !== null)).toBe(true);
    // The report holds both speeds, and what was kept follows from them.
    const report = status.report!;
    expect(report.model).toBe(model.name);
    expect(report.prebuilt.tg).toBeGreaterThan(0);
    expect(report.local?.tg).toBeGreaterThan(0);
    expect(report.chosen).toBe(report.local!.tg >= report.prebuilt.tg * 1.03 ? "local" : "prebuilt");
    expect(status.using).toBe(report.chosen);
    console.log(`optimize: prebuilt ${report.prebuilt.tg.toFixed(1)} tok/s, local ${report.local!.tg.toFixed(1)} tok/s: ${report.reason}`);
    await core.close();

    // After a restart the choice holds, and a model loads in it.
    const again = open();
    expect((await again.engineBuilds.status()).using).toBe(report.chosen);
    expect(await loadedBinary(again, model.id)).toBe(report.chosen);
    // Going back (or forth) is a choice; the build stays until removed.
    const other = report.chosen === "local" ? "prebuilt" : "local";
    await again.engineBuilds.use(other);
    expect(await loadedBinary(again, model.id)).toBe(other);
    await again.engineBuilds.use("prebuilt");
    expect(await loadedBinary(again, model.id)).toBe("prebuilt");
  }, 1_800_000);
});
