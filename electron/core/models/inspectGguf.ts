import fs from "node:fs/promises";
import path from "node:path";
/**
 * node-llama-cpp takes ~0.3 s to load: it is loaded when a GGUF is first read, not when the
 * process starts (the CLI lists conversations without it).
 */
const llamaCpp = () => import("node-llama-cpp");
import { HearthError } from "../../shared/errors";
import { tensorByteSize } from "./ggmlTypeSizes";

export interface GgufSummary {
  path: string;
  name: string;
  fileSize: number;
  architecture: string | null;
  parameterCount: number | null;
  quantization: string | null;
  contextLength: number | null;
  hasChatTemplate: boolean;
}

/** What the header says, before it is checked against a file's size. */
export interface GgufHeader extends Omit<GgufSummary, "path" | "fileSize" | "name"> {
  /** general.name; null when the header has none (the file's name stands in). */
  name: string | null;
  /** Bytes the tensor data needs: a file shorter than this is truncated (null: not computable). */
  expectedSize: number | null;
}

/**
 * Reads a GGUF file's header and checks that the file holds all the tensor data the header
 * promises. Reads only the header: cheap even for a 70B file. Throws MODEL_FILE_MISSING or
 * MODEL_INVALID with a message a user can act on.
 */
export async function inspectGguf(file: string): Promise<GgufSummary> {
  const resolved = path.resolve(file);
  const size = await fileSize(resolved);
  return checkedSummary(await readGgufHeader(resolved), resolved, size);
}

/**
 * Only the header (metadata and tensor table), which may be read while the rest of the file is
 * still arriving. `checkedSummary` then judges it against the whole file.
 */
export async function readGgufHeader(file: string): Promise<GgufHeader> {
  const resolved = path.resolve(file);
  const llama = await llamaCpp();
  let info: Awaited<ReturnType<Awaited<ReturnType<typeof llamaCpp>>["readGgufFileInfo"]>>;
  try {
    info = await llama.readGgufFileInfo(resolved, { readTensorInfo: true, sourceType: "filesystem", logWarnings: false, spliceSplitFiles: false });
  } catch (error) {
    const reason = (error as Error).message ?? String(error);
    const notGguf = /magic/i.test(reason);
    throw new HearthError("MODEL_INVALID", notGguf ? `Not a GGUF model file: ${resolved}` : `Cannot read the GGUF header of ${resolved}: ${reason}`, {
      cause: error,
    });
  }

  const tensors = info.tensorInfo ?? [];
  const metadata = info.metadata as unknown as Record<string, Record<string, unknown> | undefined>;
  const general = metadata.general ?? {};
  const architecture = typeof general.architecture === "string" ? general.architecture : null;
  const archMetadata = info.architectureMetadata as Record<string, unknown>;
  const contextLength = typeof archMetadata?.context_length === "number" ? archMetadata.context_length : null;
  const tokenizer = metadata.tokenizer ?? {};

  return {
    name: typeof general.name === "string" && general.name.trim() ? general.name.trim() : null,
    architecture,
    parameterCount: tensors.length > 0 ? tensors.reduce((sum, t) => sum + elementCount(t.dimensions), 0) : null,
    quantization: quantizationName(general.file_type, tensors, llama),
    contextLength,
    hasChatTemplate: typeof tokenizer.chat_template === "string" && tokenizer.chat_template.length > 0,
    expectedSize: expectedFileSize(tensors),
  };
}

/** The summary of `file` (whose header is `header`), refused when the file is shorter than its header says. */
export function checkedSummary(header: GgufHeader, file: string, size: number): GgufSummary {
  if (header.expectedSize !== null && size < header.expectedSize) {
    throw new HearthError("MODEL_INVALID", `The model file is truncated: ${file} has ${size} bytes but its header describes ${header.expectedSize}.`, {
      suggestion: "The download was probably cut short. Download the model again.",
    });
  }
  const { expectedSize: _expected, name, ...summary } = header;
  return { ...summary, name: name ?? path.basename(file, ".gguf"), path: file, fileSize: size };
}

/** The size of a model file, or MODEL_FILE_MISSING / MODEL_INVALID. */
export async function fileSize(file: string): Promise<number> {
  let stat: Awaited<ReturnType<typeof fs.stat>>;
  try {
    stat = await fs.stat(file);
  } catch {
    throw new HearthError("MODEL_FILE_MISSING", `Model file not found: ${file}`);
  }
  if (!stat.isFile()) throw new HearthError("MODEL_INVALID", `Not a file: ${file}`);
  return stat.size;
}

function elementCount(dimensions: readonly (number | bigint)[]): number {
  return dimensions.reduce<number>((product, dimension) => product * Number(dimension), 1);
}

function expectedFileSize(tensors: readonly { fileOffset: number | bigint; ggmlType: number; dimensions: readonly (number | bigint)[] }[]): number | null {
  let end = 0;
  for (const tensor of tensors) {
    const size = tensorByteSize(tensor.ggmlType, tensor.dimensions);
    if (size === null) return null; // a type we cannot size: leave the check to the engine
    end = Math.max(end, Number(tensor.fileOffset) + size);
  }
  return tensors.length > 0 ? end : null;
}

function quantizationName(
  fileType: unknown,
  tensors: readonly { ggmlType: number; dimensions: readonly (number | bigint)[] }[],
  { GgufFileType, GgmlType }: Awaited<ReturnType<typeof llamaCpp>>,
): string | null {
  if (typeof fileType === "number" && GgufFileType[fileType]) {
    return GgufFileType[fileType]!.replace(/^MOSTLY_|^ALL_/, "");
  }
  // No file type in the header: name the type holding the most weights.
  const weightByType = new Map<number, number>();
  for (const t of tensors) {
    weightByType.set(t.ggmlType, (weightByType.get(t.ggmlType) ?? 0) + elementCount(t.dimensions));
  }
  const dominant = [...weightByType.entries()].sort((a, b) => b[1] - a[1])[0];
  return dominant ? (GgmlType[dominant[0]] ?? null) : null;
}
