import { formatBytes } from "../../shared/format";
import type { FitVerdict } from "../../shared/modelHub";
import type { Machine } from "./fitVerdict";
import { quantFromName } from "./groupGgufFiles";

// Bits a weight takes on average in each quantization family (llama.cpp's own tables, rounded).
const BITS: [RegExp, number][] = [
  [/^IQ1/, 1.8],
  [/^(IQ2|Q2)/, 2.7],
  [/^(IQ3|Q3)/, 3.5],
  [/^(IQ4|Q4_0|MXFP4)/, 4.5],
  [/^Q4/, 4.8],
  [/^Q5/, 5.6],
  [/^Q6/, 6.6],
  [/^Q8/, 8.5],
  [/^(F16|BF16)/, 16],
  [/^F32/, 32],
];
const bitsOf = (quant: string) => BITS.find(([pattern]) => pattern.test(quant))?.[1] ?? null;

const UNIT = { K: 1e3, M: 1e6, B: 1e9, T: 1e12 } as const;

/**
 * Parameters a repository's name announces ("Qwen2.5-7B-Instruct", "SmolLM2-135M", "8x7B"), the
 * largest if it names several; null when it names none. Names are a claim, so callers say "about".
 */
export function parametersFromName(name: string): number | null {
  let best: number | null = null;
  // After a separator ("-7B", "_8x7B"), or right after a word ("stories260K"); a separate "-128k" is a context length.
  const separate = /(?:^|[-_. /])(?:(\d+)x)?(\d+(?:\.\d+)?)([MBT])(?=$|[-_. ])/gi;
  const attached = /(?<=[a-z])()(\d+(?:\.\d+)?)([KMBT])(?=$|[-_. ])/gi;
  for (const match of [...name.matchAll(separate), ...name.matchAll(attached)]) {
    const count = Number(match[1] || 1) * Number(match[2]) * UNIT[match[3]!.toUpperCase() as keyof typeof UNIT];
    if (best === null || count > best) best = count;
  }
  return best;
}

/** The quantizations a repository's files offer, in the order llama.cpp's tools name them (small first). */
export function quantsOf(filePaths: readonly string[]): string[] {
  const quants = new Set<string>();
  for (const file of filePaths) {
    const name = file.split("/").at(-1) ?? file;
    if (!/\.gguf$/i.test(name) || /^mmproj/i.test(name)) continue;
    const quant = quantFromName(name);
    if (quant) quants.add(quant);
  }
  return [...quants].sort((a, b) => (bitsOf(a) ?? 99) - (bitsOf(b) ?? 99) || a.localeCompare(b));
}

export interface NameEstimate {
  sizeRange: { min: number; max: number } | null;
  fit: { verdict: FitVerdict; note: string } | null;
}

// Room for the context and compute buffers of a few thousand tokens, on top of the weights.
const WORKING_ROOM = 1.15;
const RAM_SHARE = 0.85;

/**
 * What a search result can say before its files are read: the size of its smallest and largest
 * quantization from the parameters in its name, and whether the usual choice (about 4.8 bits a
 * weight, or the smallest offered) fits this machine. Opening the repository gives the exact verdict.
 */
export function estimateFromName(repo: string, quants: readonly string[], machine: Machine & { vramBytes: number | null }): NameEstimate {
  const parameters = parametersFromName(repo.split("/").at(-1) ?? repo);
  const bits = quants.map(bitsOf).filter((b): b is number => b !== null);
  if (parameters === null || bits.length === 0) return { sizeRange: null, fit: null };
  const bytes = (b: number) => (parameters * b) / 8;
  const sizeRange = { min: bytes(Math.min(...bits)), max: bytes(Math.max(...bits)) };
  const usual = bits.includes(4.8) ? 4.8 : Math.min(...bits);
  const need = bytes(usual) * WORKING_ROOM;
  const about = `about ${formatBytes(need)} at ${usual} bits a weight, from the name`;
  const { vramBytes } = machine;
  if (vramBytes && need <= vramBytes * 0.9) return { sizeRange, fit: { verdict: "fullGpu", note: `Fits the GPU: ${about}.` } };
  if (need > machine.ramTotalBytes * RAM_SHARE && (!vramBytes || need > vramBytes + machine.ramTotalBytes * RAM_SHARE)) {
    return { sizeRange, fit: { verdict: "tooLarge", note: `Needs ${about}; this machine has ${formatBytes(machine.ramTotalBytes)} of RAM.` } };
  }
  return {
    sizeRange,
    fit: { verdict: vramBytes ? "partialGpu" : "cpuOnly", note: `${vramBytes ? "Part on the GPU, part on the CPU" : "Runs on the CPU"}: ${about}.` },
  };
}
