import type { HubFile } from "../../shared/modelHub";

const SPLIT = /^(.*)-(\d{5})-of-(\d{5})\.gguf$/i;
// Quantization names as llama.cpp's tools write them into file names: Q4_K_M, IQ3_XXS, Q8_0, BF16, F16...
const QUANT = /(?:^|[-_./])(I?Q[1-8](?:_[0-9A-Z]{1,3}){0,2}|TQ[12]_0|BF16|F16|FP16|F32|MXFP4(?:_MOE)?)(?=[-_./]|$)/gi;

export interface FileGroup {
  key: string;
  quant: string;
  files: HubFile[];
  totalBytes: number;
}

/** The quantization a file name announces, or null. The last match wins ("...-Q8_0-Q4_K_M.gguf" is Q4_K_M). */
export function quantFromName(file: string): string | null {
  const matches = [...file.replace(/\.gguf$/i, "").matchAll(QUANT)];
  const last = matches.at(-1)?.[1];
  return last ? last.toUpperCase().replace(/^FP16$/, "F16") : null;
}

/**
 * Groups a repo's files into loadable models: one GGUF file, or all the parts of a split model
 * (`name-00001-of-00003.gguf`...), which load as one. Incomplete splits, vision projectors
 * (`mmproj`) and non-GGUF files are left out. Smallest first.
 */
export function groupGgufFiles(files: readonly HubFile[]): FileGroup[] {
  const groups: FileGroup[] = [];
  const splits = new Map<string, { count: number; parts: Map<number, HubFile> }>();
  for (const file of files) {
    const name = file.path.split("/").at(-1) ?? file.path;
    if (!/\.gguf$/i.test(name) || /^mmproj/i.test(name)) continue;
    const split = SPLIT.exec(file.path);
    if (!split) {
      groups.push({ key: file.path, quant: quantFromName(file.path) ?? name.replace(/\.gguf$/i, ""), files: [file], totalBytes: file.size });
      continue;
    }
    const [, stem, part, count] = split;
    const setKey = `${stem}|${count}`;
    const set = splits.get(setKey) ?? { count: Number(count), parts: new Map() };
    set.parts.set(Number(part), file);
    splits.set(setKey, set);
  }
  for (const set of splits.values()) {
    const parts = [...set.parts.entries()].sort((a, b) => a[0] - b[0]).map(([, file]) => file);
    const complete = parts.length === set.count && parts.every((_, i) => set.parts.has(i + 1));
    if (!complete) continue;
    const first = parts[0]!;
    const stem = first.path.replace(SPLIT, "$1");
    groups.push({
      key: first.path,
      quant: quantFromName(stem) ?? stem.split("/").at(-1)!,
      files: parts,
      totalBytes: parts.reduce((sum, part) => sum + part.size, 0),
    });
  }
  return groups.sort((a, b) => a.totalBytes - b.totalBytes || a.key.localeCompare(b.key));
}

/**
 * Picks the group a `REPO:SELECTOR` names: a file path (any part of a split), a file name, or a
 * quantization (case-insensitive). Null when nothing matches.
 */
export function selectGroup(groups: readonly FileGroup[], selector: string): FileGroup | null {
  const wanted = selector.toLowerCase();
  return (
    groups.find((g) => g.files.some((f) => f.path.toLowerCase() === wanted || f.path.split("/").at(-1)!.toLowerCase() === wanted)) ??
    groups.find((g) => g.quant.toLowerCase() === wanted) ??
    null
  );
}
