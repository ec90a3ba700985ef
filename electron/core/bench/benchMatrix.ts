import type { BenchRowSettings, BenchSpec } from "../../shared/contract";

/** Room for the engine's own tokens (BOS, the first generated one) on top of what a row measures. */
const CONTEXT_MARGIN = 16;
const MIN_CONTEXT = 512;

/** Every combination of the spec's lists, in a stable order: the rows of one model. */
export function expandSettings(spec: BenchSpec): BenchRowSettings[] {
  const rows: BenchRowSettings[] = [];
  for (const gpuLayers of spec.gpuLayers)
    for (const flashAttention of spec.flashAttention)
      for (const threads of spec.threads ?? [null])
        for (const batchSize of spec.batchSize ?? [null])
          for (const depth of spec.depth)
            for (const pp of spec.pp)
              for (const tg of spec.tg) {
                const contextSize = spec.contextSize ?? Math.max(MIN_CONTEXT, depth + pp + tg + CONTEXT_MARGIN);
                rows.push({ pp, tg, depth, threads, gpuLayers, batchSize, flashAttention, contextSize });
              }
  return rows;
}

/** Mean and sample standard deviation. */
export function meanAndSd(values: number[]): { mean: number; sd: number } {
  const mean = values.reduce((sum, v) => sum + v, 0) / values.length;
  const sd = values.length > 1 ? Math.sqrt(values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / (values.length - 1)) : 0;
  return { mean, sd };
}
