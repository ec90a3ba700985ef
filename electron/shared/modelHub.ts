/**
 * Schemas for getting models: the machine's hardware, hub search and repo files with fit
 * verdicts, the curated catalog, downloads and the network log. The calls that use them are
 * declared in contract.ts.
 */
import { z } from "zod";
import { hearthErrorDataSchema } from "./errorSchema";

// ---------- hardware ----------

export const gpuBackendSchema = z.enum(["metal", "cuda", "vulkan", "cpu"]);
export type GpuBackend = z.infer<typeof gpuBackendSchema>;

export const hardwareInfoSchema = z.object({
  /** Every backend this platform could use, and why one is not usable. */
  backends: z.array(z.object({ name: gpuBackendSchema, usable: z.boolean(), reason: z.string().nullable() })),
  chosen: gpuBackendSchema,
  /** Set when a GPU backend was wanted (auto) but the engine fell back to another. */
  fallbackReason: z.string().nullable(),
  gpus: z.array(z.string()),
  vram: z.object({ totalBytes: z.number(), freeBytes: z.number() }).nullable(),
  ram: z.object({ totalBytes: z.number(), freeBytes: z.number() }),
  cpu: z.object({ model: z.string(), physicalCores: z.number().int(), logicalCores: z.number().int() }),
  platform: z.string(),
});
export type HardwareInfo = z.infer<typeof hardwareInfoSchema>;

// ---------- fit advisor ----------

export const fitVerdictSchema = z.enum(["fullGpu", "partialGpu", "cpuOnly", "tooLarge"]);
export type FitVerdict = z.infer<typeof fitVerdictSchema>;

export const fitSchema = z.object({
  verdict: fitVerdictSchema,
  /** Layers offloaded to the GPU in the verdict's configuration, of `totalLayers`. */
  gpuLayers: z.number().int(),
  totalLayers: z.number().int(),
  contextSize: z.number().int(),
  /** Estimated memory at `contextSize`: weights plus KV cache and compute buffers. */
  ramBytes: z.number(),
  vramBytes: z.number(),
  /** One sentence for the user: why this verdict. */
  note: z.string(),
});
export type Fit = z.infer<typeof fitSchema>;

// ---------- hub ----------

export const hubSortSchema = z.enum(["downloads", "recent"]);

export const hubModelSchema = z.object({
  repo: z.string(),
  downloads: z.number(),
  likes: z.number(),
  updatedAt: z.number(),
  gated: z.boolean(),
  /** Quantizations its GGUF files offer, from their names. */
  quants: z.array(z.string()),
  /** Estimated from the parameters its name announces; null when it names none. */
  sizeRange: z.object({ min: z.number(), max: z.number() }).nullable(),
  /** A first verdict from that estimate (opening the repo reads the real headers). */
  fit: z.object({ verdict: z.enum(["fullGpu", "partialGpu", "cpuOnly", "tooLarge"]), note: z.string() }).nullable(),
});
export type HubModel = z.infer<typeof hubModelSchema>;

export const hubFileSchema = z.object({
  path: z.string(),
  size: z.number(),
  /** The hub's LFS SHA-256; null when the hub gives none (then only the size is checked). */
  sha256: z.string().nullable(),
});
export type HubFile = z.infer<typeof hubFileSchema>;

/** One model in a repo: a quantization, possibly split into several files loaded as one. */
export const quantGroupSchema = z.object({
  /** Stable key for this model in the repo: the file name, or the first split's name. */
  key: z.string(),
  quant: z.string(),
  files: z.array(hubFileSchema).min(1),
  totalBytes: z.number(),
  fit: fitSchema.nullable(),
  /** Why the fit could not be estimated (header unreadable, offline...), when `fit` is null. */
  fitError: z.string().nullable(),
  recommended: z.boolean(),
  /** The library model this already is (offer Load, not Download), or null. */
  inLibrary: z.string().nullable(),
});
export type QuantGroup = z.infer<typeof quantGroupSchema>;

export const repoFilesSchema = z.object({
  repo: z.string(),
  contextSize: z.number().int(),
  groups: z.array(quantGroupSchema),
});
export type RepoFiles = z.infer<typeof repoFilesSchema>;

export const catalogEntrySchema = z.object({
  repo: z.string(),
  name: z.string(),
  kind: z.enum(["chat", "embedding"]),
  parameters: z.string(),
  description: z.string(),
  /** The quantization to offer first. */
  quant: z.string(),
  approxBytes: z.number(),
  contextLength: z.number().int(),
  license: z.string(),
});
export type CatalogEntry = z.infer<typeof catalogEntrySchema>;

// ---------- downloads ----------

export const downloadStatusSchema = z.enum(["queued", "running", "retrying", "paused", "verifying", "done", "failed", "cancelled"]);
export type DownloadStatus = z.infer<typeof downloadStatusSchema>;

export const downloadSchema = z.object({
  id: z.string(),
  repo: z.string(),
  quant: z.string(),
  files: z.array(hubFileSchema),
  totalBytes: z.number(),
  receivedBytes: z.number(),
  status: downloadStatusSchema,
  /** Bytes a second over the last few seconds, while running. */
  bytesPerSecond: z.number().nullable(),
  etaSeconds: z.number().nullable(),
  /** What is happening in words: "retrying in 4 s (attempt 2 of 5): connection reset". */
  message: z.string().nullable(),
  error: hearthErrorDataSchema.nullable(),
  /** The library entry once verified and added. */
  modelId: z.string().nullable(),
  createdAt: z.number(),
});
export type Download = z.infer<typeof downloadSchema>;

/** Download events: progress carries only what moves; a status change carries the whole entry. */
export const downloadPacketSchema = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("progress"),
    id: z.string(),
    receivedBytes: z.number(),
    bytesPerSecond: z.number().nullable(),
    etaSeconds: z.number().nullable(),
  }),
  z.object({ type: z.literal("status"), download: downloadSchema }),
  z.object({ type: z.literal("removed"), id: z.string() }),
]);
export type DownloadPacket = z.infer<typeof downloadPacketSchema>;

// ---------- network log ----------

export const networkPurposeSchema = z.enum(["search", "repo files", "model header", "download", "remote engine"]);
export type NetworkPurpose = z.infer<typeof networkPurposeSchema>;

export const networkLogEntrySchema = z.object({
  id: z.number().int(),
  at: z.number(),
  host: z.string(),
  method: z.string(),
  path: z.string(),
  purpose: networkPurposeSchema,
  status: z.number().int().nullable(),
  bytes: z.number(),
  error: z.string().nullable(),
  /** The proxy the request went through (scheme, host and port), or null when direct. */
  via: z.string().nullable(),
});
export type NetworkLogEntry = z.infer<typeof networkLogEntrySchema>;
