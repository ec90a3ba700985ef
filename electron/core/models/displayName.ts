import path from "node:path";

export interface NameSources {
  /** GGUF `general.name`, if the file has one. */
  generalName: string | null;
  /** The file's name as the user knows it (the original file for a copy). */
  fileName: string;
  /** `owner/name` of the hub repository it was downloaded from. */
  sourceRepo: string | null;
  architecture: string | null;
}

const squash = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, "");

// File names that say nothing about the model ("model.gguf", "ggml-model-q4_0.gguf", "unnamed").
const GENERIC_FILE = /^(ggml[-_.]?)?(model|models|unnamed|weights|gguf)([-_.].*)?$/i;
const SPLIT_PART = /-\d{5}-of-\d{5}$/;

/**
 * What the app calls a model: its file name (the repository too, for a download whose file name
 * does not already say it), or the GGUF's `general.name` when that says more: many files carry
 * only their architecture there ("llama"), which cannot tell two models apart.
 */
export function displayNameFor({ generalName, fileName, sourceRepo, architecture }: NameSources): string {
  const stem = path
    .basename(fileName)
    .replace(/\.gguf$/i, "")
    .replace(SPLIT_PART, "");
  const general = generalName?.trim() ?? "";
  if (general && GENERIC_FILE.test(stem) && isSpecific(general, architecture)) return general;
  if (!sourceRepo) return stem;
  const repoModel = (sourceRepo.split("/").pop() ?? sourceRepo).replace(/[-_.]?gguf$/i, "");
  return squash(stem).includes(squash(repoModel)) ? stem : `${sourceRepo} · ${stem}`;
}

/** A `general.name` that is more than the architecture's or a placeholder. */
function isSpecific(general: string, architecture: string | null): boolean {
  const name = squash(general);
  return name.length > 2 && name !== squash(architecture ?? "") && !GENERIC_FILE.test(general);
}
