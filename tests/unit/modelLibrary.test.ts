import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ModelLibrary } from "../../electron/core/models/ModelLibrary";
import { openDatabase } from "../../electron/core/store/openDatabase";
import { tempDir } from "../support/tempDir";
import { testModelPath } from "../support/testModel";

function library() {
  const dir = tempDir();
  const modelsDir = path.join(dir, "models");
  return { lib: new ModelLibrary(openDatabase(path.join(dir, "hearth.db")), () => modelsDir), modelsDir };
}

describe("importing a copy", () => {
  it("copies a file once: importing it again says so and copies nothing", async () => {
    const { lib, modelsDir } = library();
    const first = await lib.import(testModelPath, "copy");
    expect(first).toMatchObject({ storage: "copied", alreadyInLibrary: false });
    const again = await lib.import(testModelPath, "copy");
    expect(again).toMatchObject({ id: first.id, alreadyInLibrary: true });
    expect(fs.readdirSync(modelsDir)).toEqual([path.basename(testModelPath)]);
  });

  it("three imports at once make one copy, one entry, and no stray .part; a file in the way is never replaced", async () => {
    const { lib, modelsDir } = library();
    fs.mkdirSync(modelsDir, { recursive: true });
    const inTheWay = path.join(modelsDir, path.basename(testModelPath));
    fs.writeFileSync(inTheWay, "the user's own file");
    const results = await Promise.all([1, 2, 3].map(() => lib.import(testModelPath, "copy")));
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    expect(results.filter((r) => !r.alreadyInLibrary)).toHaveLength(1);
    expect(lib.list()).toHaveLength(1);
    expect(fs.readFileSync(inTheWay, "utf8")).toBe("the user's own file");
    expect(fs.readdirSync(modelsDir).sort()).toEqual([path.basename(testModelPath), path.basename(results[0]!.path)].sort());
    expect(fs.statSync(results[0]!.path).size).toBe(fs.statSync(testModelPath).size);
  });
});

describe("what the contract lets a page do with paths", () => {
  it("models.info names library models only, and never adds a file; the models folder must be a full path", async () => {
    const { createCore } = await import("../../electron/core/createCore");
    const { createHandlers, invoke } = await import("../../electron/core/api/handlers");
    const core = createCore({ dataDir: path.join(tempDir(), "data"), keychain: null });
    const handlers = createHandlers(core);
    expect(await invoke(handlers, "models.info", { idOrPath: testModelPath })).toMatchObject({ ok: false, error: { code: "NOT_FOUND" } });
    expect(core.library.list()).toEqual([]);
    const imported = await core.library.import(testModelPath, "reference");
    expect(await invoke(handlers, "models.info", { idOrPath: testModelPath })).toMatchObject({ ok: true, value: { id: imported.id } });
    expect(await invoke(handlers, "settings.update", { modelsDir: "relative/models" })).toMatchObject({ ok: false, error: { message: /must be a full path/ } });
    expect(await invoke(handlers, "settings.update", { modelsDir: "" })).toMatchObject({ ok: true });
    await core.close();
  });
});
