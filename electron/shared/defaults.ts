import type { LoadSettings, SamplingSettings } from "./contract";

/** The app's defaults; a conversation's own settings and a request's override them, in that order. */
export const defaultSampling: Required<Pick<SamplingSettings, "temperature" | "topK" | "topP" | "minP" | "repeatPenalty">> = {
  temperature: 0.8,
  topK: 40,
  topP: 0.95,
  minP: 0.05,
  repeatPenalty: 1.1,
};

export const defaultLoadSettings: LoadSettings = {
  gpuLayers: "auto",
  flashAttention: false,
};

/** Context size used when the user does not choose one (capped by what the model supports). */
export const DEFAULT_CONTEXT_SIZE = 4096;
