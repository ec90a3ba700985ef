import type { BenchRowSettings } from "./contract";

/** A row's settings in a few words, for progress lines and charts: "pp512 tg128 d4096 t2 fa". */
export function describeSettings(settings: BenchRowSettings): string {
  return [
    `pp${settings.pp}`,
    `tg${settings.tg}`,
    settings.depth ? `d${settings.depth}` : null,
    settings.threads !== null ? `t${settings.threads}` : null,
    settings.gpuLayers !== "auto" ? `ngl ${settings.gpuLayers}` : null,
    settings.batchSize !== null ? `b${settings.batchSize}` : null,
    settings.flashAttention ? "fa" : null,
  ]
    .filter(Boolean)
    .join(" ");
}
