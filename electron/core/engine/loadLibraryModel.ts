import fs from "node:fs";
import type { LoadSettings, ModelEntry } from "../../shared/contract";
import { loadSettingsSchema } from "../../shared/contract";
import { defaultLoadSettings } from "../../shared/defaults";
import { HearthError } from "../../shared/errors";
import type { ModelLibrary } from "../models/ModelLibrary";
import type { EngineHost } from "./EngineHost";
import type { LoadResult } from "./protocol";

/**
 * Loads a library model into the engine with the app defaults, the model's own defaults and the
 * given settings, in that order. Checks what can be checked before the engine is asked.
 */
export async function loadLibraryModel(
  engine: Pick<EngineHost, "load">,
  library: ModelLibrary,
  modelId: string,
  settings: Partial<LoadSettings> = {},
): Promise<{ model: ModelEntry; settings: LoadSettings; result: LoadResult }> {
  const model = library.get(modelId);
  if (!fs.existsSync(model.path)) {
    throw new HearthError("MODEL_FILE_MISSING", `The file of model ${model.id} is gone: ${model.path}`, {
      suggestion: "Put the file back, or remove the model from the library and import it again.",
    });
  }
  const effective = loadSettingsSchema.parse({ ...defaultLoadSettings, ...model.loadDefaults, ...settings });
  if (effective.contextSize && model.contextLength && effective.contextSize > model.contextLength) {
    throw new HearthError("INVALID_INPUT", `Context size ${effective.contextSize} is larger than ${model.name} supports (${model.contextLength} tokens).`, {
      suggestion: `Use a context size of at most ${model.contextLength}.`,
    });
  }
  const result = await engine.load({ id: model.id, name: model.name, path: model.path }, effective);
  library.markUsed(model.id);
  return { model, settings: effective, result };
}

/** Loads the model unless it is already the one loaded (with no other settings asked for). */
export async function ensureModelLoaded(
  engine: Pick<EngineHost, "load" | "loadedModel">,
  library: ModelLibrary,
  modelId: string,
  settings?: Partial<LoadSettings>,
) {
  if (engine.loadedModel?.id === modelId && !settings) return;
  await loadLibraryModel(engine, library, modelId, settings);
}
