import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** The small real model the tests run: HEARTH_TEST_MODEL, else the shared stories260K.gguf beside the project. */
export const testModelPath = path.resolve(process.env.HEARTH_TEST_MODEL ?? path.join(projectRoot, "../shared/models/stories260K.gguf"));

export function assertTestModel(): void {
  if (!fs.existsSync(testModelPath)) {
    throw new Error(
      `The test model is missing: ${testModelPath}. Set HEARTH_TEST_MODEL to a copy of stories260K.gguf ` +
        `(ggml-org/models, tinyllamas/stories260K.gguf).`,
    );
  }
}
