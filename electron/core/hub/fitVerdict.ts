import { formatBytes } from "../../shared/format";
import type { Fit } from "../../shared/modelHub";
import type { FitEstimate } from "../engine/protocol";

export interface Machine {
  ramTotalBytes: number;
  ramAvailableBytes: number;
}

/** Part of RAM a model may take before the machine itself suffers (OS, browser, the app). */
const RAM_SHARE = 0.85;

/** The verdict for this machine from an engine estimate, with the reason in one sentence. */
export function fitVerdict(estimate: FitEstimate, machine: Machine): Fit {
  const base = {
    gpuLayers: estimate.gpuLayers,
    totalLayers: estimate.totalLayers,
    contextSize: estimate.contextSize,
    ramBytes: estimate.ramBytes,
    vramBytes: estimate.vramBytes,
  };
  const ctx = `${estimate.contextSize.toLocaleString("en-US")} tokens of context`;
  if (estimate.ramBytes > machine.ramTotalBytes * RAM_SHARE) {
    return {
      ...base,
      verdict: "tooLarge",
      note: `Needs about ${formatBytes(estimate.ramBytes)} of RAM with ${ctx}; this machine has ${formatBytes(machine.ramTotalBytes)}.`,
    };
  }
  const busy =
    estimate.ramBytes > machine.ramAvailableBytes ? ` More than the ${formatBytes(machine.ramAvailableBytes)} free now: close other apps first.` : "";
  if (estimate.gpu && estimate.gpuLayers >= estimate.totalLayers && estimate.totalLayers > 0) {
    return {
      ...base,
      verdict: "fullGpu",
      note: `All ${estimate.totalLayers} layers fit on the GPU (about ${formatBytes(estimate.vramBytes)} of VRAM with ${ctx}).${busy}`,
    };
  }
  if (estimate.gpu && estimate.gpuLayers > 0) {
    return {
      ...base,
      verdict: "partialGpu",
      note: `${estimate.gpuLayers} of ${estimate.totalLayers} layers fit on the GPU; the rest run on the CPU (about ${formatBytes(estimate.ramBytes)} of RAM, ${formatBytes(estimate.vramBytes)} of VRAM).${busy}`,
    };
  }
  const why = estimate.gpu ? "Too large for the GPU; runs" : "Runs";
  return { ...base, verdict: "cpuOnly", note: `${why} on the CPU in about ${formatBytes(estimate.ramBytes)} of RAM with ${ctx}.${busy}` };
}

// The usual balance of quality and speed first, then its neighbours; bigger quants come later
// because on a CPU every extra bit slows generation.
const CPU_PREFERENCE = [
  "Q4_K_M",
  "Q4_K_S",
  "IQ4_XS",
  "Q4_0",
  "IQ4_NL",
  "Q5_K_M",
  "Q5_K_S",
  "Q5_0",
  "Q3_K_L",
  "Q3_K_M",
  "IQ3_M",
  "Q6_K",
  "Q8_0",
  "IQ3_XS",
  "Q3_K_S",
  "IQ3_XXS",
  "Q2_K",
  "IQ2_M",
];
const FULL_PRECISION = /^(F16|BF16|F32)$/;

/**
 * The quantization to suggest. When some fit wholly on the GPU, the largest of those (up to
 * 8-bit: full precision costs twice the memory for no visible gain); else the first that fits
 * in the CPU order above; else the smallest that fits. Null when none fits.
 */
export function recommendGroup<G extends { key: string; quant: string; totalBytes: number; fit: Fit | null }>(groups: readonly G[]): G | null {
  const fitting = groups.filter((g) => g.fit && g.fit.verdict !== "tooLarge");
  if (fitting.length === 0) return null;
  const quantized = fitting.filter((g) => !FULL_PRECISION.test(g.quant));
  const pool = quantized.length > 0 ? quantized : fitting;
  const onGpu = pool.filter((g) => g.fit!.verdict === "fullGpu");
  if (onGpu.length > 0) return onGpu.reduce((best, g) => (g.totalBytes > best.totalBytes ? g : best));
  for (const quant of CPU_PREFERENCE) {
    const match = pool.find((g) => g.quant === quant);
    if (match) return match;
  }
  return pool.reduce((best, g) => (g.totalBytes < best.totalBytes ? g : best));
}
