import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

const SHARED_MODEL = path.join(projectRoot, "../shared/models/stories260K.gguf");
/** Where the test setup puts the model when it has to download it (git-ignored). */
const DOWNLOADED_MODEL = path.join(projectRoot, "tests/.cache/stories260K.gguf");

/** The small real model the tests run: HEARTH_TEST_MODEL, else the shared copy beside the project, else the downloaded one. */
export const testModelPath = path.resolve(process.env.HEARTH_TEST_MODEL ?? (fs.existsSync(SHARED_MODEL) ? SHARED_MODEL : DOWNLOADED_MODEL));

export const TEST_MODEL_SOURCE = { repo: "ggml-org/models", file: "tinyllamas/stories260K.gguf" };

/**
 * Makes sure the test model exists: where it is missing (a user's machine), it is downloaded with
 * Hearth's own downloader from the hub (HF_ENDPOINT when set), verified by its SHA-256.
 */
export async function ensureTestModel(): Promise<void> {
  if (fs.existsSync(testModelPath)) return;
  if (process.env.HEARTH_TEST_MODEL) throw new Error(`HEARTH_TEST_MODEL points at ${testModelPath}, which does not exist.`);
  process.stderr.write(`The test model is missing; downloading ${TEST_MODEL_SOURCE.repo}:${TEST_MODEL_SOURCE.file} with Hearth's downloader…\n`);
  try {
    await downloadTestModel(DOWNLOADED_MODEL);
  } catch (error) {
    throw new Error(
      `The test model is missing (${testModelPath}) and could not be downloaded: ${error instanceof Error ? error.message : String(error)}. ` +
        `Set HEARTH_TEST_MODEL to a copy of stories260K.gguf.`,
    );
  }
}

/** Downloads stories260K.gguf from the hub to `target` through Hearth's core (library, queue, hash check). */
export async function downloadTestModel(target: string): Promise<void> {
  const { createCore } = await import("../../electron/core/createCore");
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-test-model-"));
  const core = createCore({ dataDir });
  try {
    const files = (await core.hub.listFiles(TEST_MODEL_SOURCE.repo)).filter((f) => f.path === TEST_MODEL_SOURCE.file);
    if (files.length !== 1) throw new Error(`${TEST_MODEL_SOURCE.repo} has no ${TEST_MODEL_SOURCE.file}.`);
    const download = await core.downloads.enqueue(TEST_MODEL_SOURCE.repo, "F32", files);
    const done = await core.downloads.waitFor(download.id);
    if (done.status !== "done" || !done.modelId) throw new Error(`The test model download ended ${done.status}: ${done.error?.message ?? ""}`);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(core.library.get(done.modelId).path, target);
  } finally {
    await core.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
