import type { LoadSettings, SamplingSettings } from "./contract";

/**
 * The app's defaults; the user's app-wide settings, a model's, a conversation's and a request's
 * override them, in that order. Replies stop at 2,048 tokens unless told otherwise: a base model
 * (no chat template) never says it is done and would write until the context is full.
 */
export const defaultSampling: Required<Pick<SamplingSettings, "temperature" | "topK" | "topP" | "minP" | "repeatPenalty" | "maxTokens">> = {
  temperature: 0.8,
  topK: 40,
  topP: 0.95,
  minP: 0.05,
  repeatPenalty: 1.1,
  maxTokens: 2048,
};

export const defaultLoadSettings: LoadSettings = {
  gpuLayers: "auto",
  flashAttention: false,
};

/** Context size used when the user does not choose one (capped by what the model supports). */
export const DEFAULT_CONTEXT_SIZE = 4096;

/**
 * The longest a streamed delta waits in the engine before it is sent (the first goes at once); the
 * chat view paces each batch's text over the same span (deltaBatcher.ts says why 100 ms).
 */
export const STREAM_BATCH_MS = 100;
