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

describe("what a model is called", () => {
  it("derives a name that tells models apart: the file's, the repository's for a download, general.name only when it says more", async () => {
    const { displayNameFor } = await import("../../electron/core/models/displayName");
    const named = (fileName: string, generalName: string | null, sourceRepo: string | null = null) =>
      displayNameFor({ fileName, generalName, sourceRepo, architecture: "llama" });
    expect(named("stories260K.gguf", "llama")).toBe("stories260K");
    expect(named("stories260K.gguf", "llama", "ggml-org/models")).toBe("ggml-org/models · stories260K");
    expect(named("Llama-3.2-1B-Instruct-Q4_K_M.gguf", "Llama 3.2 1B Instruct", "bartowski/Llama-3.2-1B-Instruct-GGUF")).toBe("Llama-3.2-1B-Instruct-Q4_K_M");
    expect(named("ggml-model-q4_0.gguf", "Meta Llama 3 8B Instruct")).toBe("Meta Llama 3 8B Instruct");
    expect(named("model.gguf", "llama")).toBe("model");
    expect(named("qwen2.5-7b-instruct-q4_k_m-00001-of-00002.gguf", "qwen2.5-7b-instruct")).toBe("qwen2.5-7b-instruct-q4_k_m");
  });

  it("two imports of one architecture get different names; a name given in the library sticks and can be taken back", async () => {
    const { lib } = library();
    const other = path.join(tempDir(), "tiny-tales-q8.gguf");
    fs.copyFileSync(testModelPath, other);
    const a = await lib.import(testModelPath, "reference");
    const b = await lib.import(other, "reference");
    expect([a.name, b.name]).toEqual(["stories260K", "tiny-tales-q8"]);
    expect(lib.rename(a.id, "  Bedtime stories  ")).toMatchObject({ name: "Bedtime stories", customName: true });
    expect(lib.get(a.id).name).toBe("Bedtime stories");
    expect(lib.rename(a.id, null)).toMatchObject({ name: "stories260K", customName: false });
  });
});
