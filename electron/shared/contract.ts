/**
 * The one contract between the UI and the core: every call (`domain.verb`) with its input and
 * output schema, and every event (`domain.onDidX`) with its payload schema. Served over Electron
 * IPC, over the browser-mode WebSocket, and called in-process by the CLI and the tests.
 */
import { z } from "zod";
import { citationSchema, collectionSchema, documentEntrySchema, documentPageSchema, ingestProgressSchema, pageImageSchema, passageSchema } from "./documents";
import { hearthErrorDataSchema } from "./errorSchema";
import { remoteEngineSchema } from "./remote";
import { gridCellSchema, gridColumnInputSchema, gridPacketSchema, gridSchema, gridViewSchema, MAX_CELL_VALUE_CHARS, MAX_GRID_COLUMNS } from "./grids";
import {
  MAX_API_SLOTS,
  MAX_ID_CHARS,
  MAX_MESSAGE_CHARS,
  MAX_PATH_CHARS,
  MAX_SEARCH_CHARS,
  MAX_STOP_STRING_CHARS,
  MAX_STOP_STRINGS,
  MAX_SYSTEM_PROMPT_CHARS,
  MAX_TITLE_CHARS,
  MAX_URL_CHARS,
  tooLong,
} from "./limits";
import {
  catalogEntrySchema,
  downloadPacketSchema,
  downloadSchema,
  hardwareInfoSchema,
  hubModelSchema,
  hubSortSchema,
  networkLogEntrySchema,
  repoFilesSchema,
} from "./modelHub";

const id = z.string().min(1).max(MAX_ID_CHARS);
/** Most files and folders one `documents.add` names (a folder brings all it holds). */
const MAX_ADD_PATHS = 1000;
/** Most collections one conversation answers from. */
const MAX_ATTACHED_COLLECTIONS = 16;
/** A full path on any system: `/…`, `C:\…`, `\\server\share`. (node:path is not to be had here.) */
const isAbsolutePath = (value: string) => value.startsWith("/") || /^[A-Za-z]:[\\/]/.test(value) || value.startsWith("\\\\");

/** A proxy address: http, https or socks5, or empty for none. */
const isProxyUrl = (value: string) => {
  if (value.trim() === "") return true;
  try {
    return ["http:", "https:", "socks5:"].includes(new URL(value).protocol);
  } catch {
    return false;
  }
};

/** A string a caller sends, with its limit and the error that names it. */
const text = (what: string, max: number) => z.string().max(max, tooLong(what, max));

// ---------- settings ----------

export const kvCacheTypeSchema = z.enum(["f32", "f16", "bf16", "q8_0", "q4_0", "q4_1", "q5_0", "q5_1"]);
export type KvCacheType = z.infer<typeof kvCacheTypeSchema>;

export const gpuLayersSchema = z.union([z.literal("auto"), z.literal("off"), z.number().int().min(0).max(10_000)]);
export type GpuLayers = z.infer<typeof gpuLayersSchema>;

/** Load settings as given: every field optional, no defaults (zod's partial() would fill them in). */
export const loadSettingsPatchSchema = z.object({
  contextSize: z.number().int().min(64).max(4_194_304).optional(),
  gpuLayers: gpuLayersSchema.optional(),
  threads: z.number().int().min(1).max(1024).optional(),
  batchSize: z.number().int().min(1).max(65_536).optional(),
  flashAttention: z.boolean().optional(),
  /** Map the weights from the file (fast load, shared with the page cache) or read them into memory. */
  useMmap: z.boolean().optional(),
  kvCacheKeyType: kvCacheTypeSchema.optional(),
  kvCacheValueType: kvCacheTypeSchema.optional(),
  /** Replies the context serves at once, each on its own sequence with a whole context of cache (the API's slots). */
  sequences: z.number().int().min(1).max(MAX_API_SLOTS).optional(),
});
export type LoadSettingsPatch = z.infer<typeof loadSettingsPatchSchema>;
/** Load settings in effect, with defaults filled in. */
export const loadSettingsSchema = loadSettingsPatchSchema.extend({
  gpuLayers: gpuLayersSchema.default("auto"),
  flashAttention: z.boolean().default(false),
});
export type LoadSettings = z.infer<typeof loadSettingsSchema>;
export type LoadSettingsInput = z.input<typeof loadSettingsSchema>;

export const samplingSettingsSchema = z.object({
  temperature: z.number().min(0).max(5).optional(),
  topK: z.number().int().min(0).max(10_000).optional(),
  topP: z.number().min(0).max(1).optional(),
  minP: z.number().min(0).max(1).optional(),
  repeatPenalty: z.number().min(0.5).max(5).optional(),
  seed: z.number().int().min(0).max(4_294_967_295).optional(),
  maxTokens: z.number().int().min(1).max(1_000_000).optional(),
  stop: z.array(text("A stop string", MAX_STOP_STRING_CHARS).min(1)).max(MAX_STOP_STRINGS).optional(),
});
export type SamplingSettings = z.infer<typeof samplingSettingsSchema>;

/** What happens when the history no longer fits in the context. Never silent: see chat packets. */
export const overflowPolicySchema = z.enum(["dropOldest", "error"]);
export type OverflowPolicy = z.infer<typeof overflowPolicySchema>;

export const backendSchema = z.enum(["auto", "cpu"]);
export type BackendChoice = z.infer<typeof backendSchema>;

export const themeSchema = z.enum(["system", "light", "dark"]);

/** A change to the app settings: only the fields given. */
export const appSettingsPatchSchema = z.object({
  theme: themeSchema.optional(),
  systemPrompt: text("The system prompt", MAX_SYSTEM_PROMPT_CHARS).optional(),
  sampling: samplingSettingsSchema.optional(),
  /** Blocks every outbound request (search, downloads). HEARTH_OFFLINE=1 forces it on. */
  offline: z.boolean().optional(),
  /** Where downloads and copies go; empty: `<data dir>/models`. */
  modelsDir: text("The folder path", MAX_PATH_CHARS)
    .refine((dir) => dir === "" || isAbsolutePath(dir), "The models folder must be a full path (from / or a drive letter).")
    .optional(),
  /** The proxy every outbound request goes through; empty: HTTPS_PROXY/HTTP_PROXY/NO_PROXY decide. */
  proxy: text("The proxy address", MAX_URL_CHARS)
    .refine(isProxyUrl, "The proxy must be an address such as http://proxy.example:3128 (http, https or socks5).")
    .optional(),
  /** Ranged connections per large download (a CDN caps each one's speed). */
  downloadConnections: z.number().int().min(1).max(16).optional(),
  /** Read the text of scanned PDF pages (no text layer) with OCR, on this machine. */
  ocr: z.boolean().optional(),
  /** The OpenAI-compatible API: started with the app, its port, replies served at once, requests that may wait, idle minutes before its model is unloaded. */
  apiAutoStart: z.boolean().optional(),
  apiPort: z.number().int().min(1024).max(65_535).optional(),
  apiSlots: z.number().int().min(1).max(MAX_API_SLOTS).optional(),
  apiQueue: z.number().int().min(0).max(1000).optional(),
  apiIdleMinutes: z.number().int().min(0).max(10_080).optional(),
});
/** App-wide settings: defaults a conversation's own settings override. */
export const appSettingsSchema = appSettingsPatchSchema.extend({
  theme: themeSchema.default("system"),
  systemPrompt: z.string().max(MAX_SYSTEM_PROMPT_CHARS).default(""),
  sampling: samplingSettingsSchema.default({}),
  offline: z.boolean().default(false),
  modelsDir: z.string().max(MAX_PATH_CHARS).default(""),
  proxy: z.string().max(MAX_URL_CHARS).default(""),
  downloadConnections: z.number().int().min(1).max(16).default(4),
  ocr: z.boolean().default(true),
  apiAutoStart: z.boolean().default(false),
  apiPort: z.number().int().min(1024).max(65_535).default(4871),
  apiSlots: z.number().int().min(1).max(MAX_API_SLOTS).default(4),
  apiQueue: z.number().int().min(0).max(1000).default(8),
  apiIdleMinutes: z.number().int().min(0).max(10_080).default(10),
  /** The llama.cpp binary engines load: set by "Optimize for this machine" (engineBuild.*), not by settings.update. */
  engineBinary: z.enum(["prebuilt", "local"]).default("prebuilt"),
  /** The last comparison of the local build against the prebuilt binary. */
  engineBuildReport: z.lazy(() => engineBuildReportSchema.nullable()).default(null),
});
export type AppSettings = z.infer<typeof appSettingsSchema>;

// ---------- entities ----------

export const conversationSchema = z.object({
  id,
  title: z.string(),
  createdAt: z.number(),
  updatedAt: z.number(),
  modelId: z.string().nullable(),
  systemPrompt: z.string().nullable(),
  sampling: samplingSettingsSchema,
  /** The message the conversation currently shows the branch of. */
  activeLeafId: z.string().nullable(),
  messageCount: z.number().int(),
  /** Document collections its replies answer from (and cite). */
  collectionIds: z.array(z.string()),
});
export type Conversation = z.infer<typeof conversationSchema>;

export const messageRoleSchema = z.enum(["system", "user", "assistant"]);
export const messageStatusSchema = z.enum(["streaming", "complete", "interrupted", "error"]);
export const stopReasonSchema = z.enum(["eos", "stopString", "maxTokens", "contextFull", "aborted", "error", "toolCalls"]);
export type StopReason = z.infer<typeof stopReasonSchema>;

export const messageSchema = z.object({
  id,
  conversationId: id,
  parentId: z.string().nullable(),
  role: messageRoleSchema,
  content: z.string(),
  thinking: z.string().nullable(),
  status: messageStatusSchema,
  createdAt: z.number(),
  updatedAt: z.number(),
  // What produced an assistant reply.
  modelId: z.string().nullable(),
  modelName: z.string().nullable(),
  loadSettings: loadSettingsPatchSchema.nullable(),
  sampling: samplingSettingsSchema.nullable(),
  promptTokens: z.number().int().nullable(),
  evaluatedPromptTokens: z.number().int().nullable(),
  completionTokens: z.number().int().nullable(),
  timeToFirstTokenMs: z.number().nullable(),
  tokensPerSecond: z.number().nullable(),
  stopReason: stopReasonSchema.nullable(),
  errorCode: z.string().nullable(),
  /** Messages of the history left out of the prompt because the context was full. */
  droppedMessages: z.number().int().nullable(),
  /** The passages a reply was given from (a conversation with collections attached), or null. */
  citations: z.array(citationSchema).nullable(),
});
export type Message = z.infer<typeof messageSchema>;

/** A message of the shown branch, with its place among its alternatives (edits, regenerations). */
export const branchMessageSchema = messageSchema.extend({
  branch: z.object({ index: z.number().int().min(0), count: z.number().int().min(1) }),
});
export type BranchMessage = z.infer<typeof branchMessageSchema>;

/** Most messages one `conversations.view` answers with: a long conversation is read a window at a time. */
export const MAX_VIEW_WINDOW = 500;

export const modelEntrySchema = z.object({
  id,
  /** What the app calls it: the user's name for it, else one derived from its file (displayName.ts). */
  name: z.string(),
  /** The user renamed it. */
  customName: z.boolean(),
  path: z.string(),
  fileSize: z.number(),
  architecture: z.string().nullable(),
  parameterCount: z.number().nullable(),
  quantization: z.string().nullable(),
  contextLength: z.number().int().nullable(),
  hasChatTemplate: z.boolean(),
  sourceRepo: z.string().nullable(),
  storage: z.enum(["copied", "referenced", "downloaded"]),
  addedAt: z.number(),
  lastUsedAt: z.number().nullable(),
  loadDefaults: loadSettingsPatchSchema.nullable(),
  /** Sampling this model's replies start from, over the app's defaults (null: none of its own). */
  samplingDefaults: samplingSettingsSchema.nullable(),
  /** The file is no longer where the library says (moved, deleted, on a drive not mounted). */
  missing: z.boolean(),
});
export type ModelEntry = z.infer<typeof modelEntrySchema>;

/** One binary's speed in the comparison: medians of its runs, tokens per second. */
const binarySpeedSchema = z.object({ pp: z.number(), tg: z.number() });
/** "Optimize for this machine": how the local build did against the prebuilt binary, on which model, and what was kept. */
export const engineBuildReportSchema = z.object({
  at: z.number(),
  model: z.string(),
  prebuilt: binarySpeedSchema,
  /** null: the local build failed on the model (`reason` says how). */
  local: binarySpeedSchema.nullable(),
  chosen: z.enum(["prebuilt", "local"]),
  reason: z.string(),
});
export type EngineBuildReport = z.infer<typeof engineBuildReportSchema>;

export const engineBuildStatusSchema = z.object({
  /** The binary engines load from now on. */
  using: z.enum(["prebuilt", "local"]),
  /** Whether Hearth's local build exists. */
  localBuild: z.boolean(),
  /** Why llama.cpp cannot be built here, in one line (null: it can). */
  problem: z.string().nullable(),
  /** The build and comparison under way. */
  job: z
    .object({
      phase: z.enum(["source", "compile", "compare"]),
      /** Share of this phase done. */
      done: z.number().min(0).max(1),
      etaSeconds: z.number().nullable(),
      startedAt: z.number(),
    })
    .nullable(),
  report: engineBuildReportSchema.nullable(),
  /** How the last run ended, when it failed or was stopped. */
  error: hearthErrorDataSchema.nullable(),
});
export type EngineBuildStatus = z.infer<typeof engineBuildStatusSchema>;

export const engineStatusSchema = z.enum(["stopped", "starting", "idle", "loading", "ready", "generating", "crashed"]);
export const engineStateSchema = z.object({
  status: engineStatusSchema,
  backend: z.string().nullable(),
  model: z.object({ id: z.string().nullable(), name: z.string(), path: z.string() }).nullable(),
  loadSettings: loadSettingsSchema.nullable(),
  contextSize: z.number().int().nullable(),
  loadProgress: z.number().min(0).max(1).nullable(),
  lastError: hearthErrorDataSchema.nullable(),
});
export type EngineState = z.infer<typeof engineStateSchema>;

// ---------- the OpenAI-compatible API (the Server page) ----------

/** One request, as the log keeps it: never its text. */
export const apiLogEntrySchema = z.object({
  at: z.number(),
  method: z.string(),
  path: z.string(),
  model: z.string().nullable(),
  status: z.number().int(),
  promptTokens: z.number().nullable(),
  completionTokens: z.number().nullable(),
  tokensPerSecond: z.number().nullable(),
  stopReason: stopReasonSchema.nullable(),
  latencyMs: z.number(),
});
export type ApiLogEntry = z.infer<typeof apiLogEntrySchema>;

export const apiStatusSchema = z.object({
  running: z.boolean(),
  /** `http://127.0.0.1:PORT/v1` while running. */
  url: z.string().nullable(),
  /** Whether requests need `Authorization: Bearer <key>`, and the key's last four characters (never the key). */
  key: z.object({ set: z.boolean(), last4: z.string().nullable() }),
  /** The key came from `--api-key-file` or HEARTH_API_KEY for this run, not from the app. */
  keyFromCommandLine: z.boolean(),
  /** The model its engine holds now (loaded on first use, unloaded when idle), by library id. */
  model: z.string().nullable(),
  /** Replies running now (at most `slots` at once) and requests waiting for a slot. */
  load: z.object({ running: z.number().int(), slots: z.number().int(), waiting: z.number().int() }),
  /** The newest requests first (at most 200). */
  log: z.array(apiLogEntrySchema),
  /** Why it could not start (a port in use), else null. */
  error: z.string().nullable(),
});
export type ApiStatus = z.infer<typeof apiStatusSchema>;

// ---------- chat streaming ----------

export const chatPacketSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("token"), requestId: id, text: z.string(), segment: z.enum(["answer", "thought"]) }),
  z.object({
    type: z.literal("notice"),
    requestId: id,
    notice: z.object({ kind: z.literal("contextTrimmed"), droppedMessages: z.number().int(), message: z.string() }),
  }),
  z.object({ type: z.literal("done"), requestId: id, message: messageSchema }),
  z.object({ type: z.literal("error"), requestId: id, error: hearthErrorDataSchema, message: messageSchema.nullable() }),
]);
export type ChatPacket = z.infer<typeof chatPacketSchema>;

export const chatStartedSchema = z.object({
  requestId: id,
  conversationId: id,
  userMessageId: id.nullable(),
  assistantMessageId: id,
  /** The conversation as the turn left it. */
  conversation: conversationSchema,
  /**
   * The branch's new end, each with its place among its alternatives: the user message (when the
   * turn added one) and the reply, empty until its text streams in.
   */
  messages: z.array(branchMessageSchema),
});
export type ChatStarted = z.infer<typeof chatStartedSchema>;

// ---------- bench ----------

const count = (max: number) => z.number().int().min(0).max(max);

/** What to measure: every combination of the listed values, for every model, is one row. */
/** Most values one bench setting lists, and most rows (their combinations) one run measures. */
export const MAX_BENCH_VALUES = 16;
export const MAX_BENCH_ROWS = 256;
const values = <T extends z.ZodType>(item: T) => z.array(item).min(1).max(MAX_BENCH_VALUES);

/** What to measure: every combination of the listed values, for every model, is one row. */
export const benchSpecSchema = z
  .object({
    modelIds: z.array(id).min(1).max(20),
    pp: values(count(32_768)).default([512]),
    tg: values(count(8_192)).default([128]),
    depth: values(count(1_048_576)).default([0]),
    reps: z.number().int().min(1).max(100).default(5),
    /** Absent: the engine's default (physical cores). */
    threads: values(z.number().int().min(1).max(512)).optional(),
    gpuLayers: values(gpuLayersSchema).default(["auto"]),
    batchSize: values(z.number().int().min(1).max(65_536)).optional(),
    flashAttention: values(z.boolean()).default([false]),
    /** Absent: just what the row needs (depth + pp + tg). */
    contextSize: z.number().int().min(64).max(1_048_576).optional(),
  })
  .refine(({ pp, tg }) => pp.some((n) => n > 0) || tg.some((n) => n > 0), { message: "nothing to measure: pp and tg are all 0" })
  .refine(
    (spec) =>
      [spec.modelIds, spec.pp, spec.tg, spec.depth, spec.threads ?? [0], spec.gpuLayers, spec.batchSize ?? [0], spec.flashAttention].reduce(
        (rows, list) => rows * list.length,
        1,
      ) <= MAX_BENCH_ROWS,
    { message: `at most ${MAX_BENCH_ROWS} rows (combinations of the listed values) in one run` },
  );
export type BenchSpec = z.output<typeof benchSpecSchema>;

export const benchRowSettingsSchema = z.object({
  pp: z.number().int(),
  tg: z.number().int(),
  depth: z.number().int(),
  threads: z.number().int().nullable(),
  gpuLayers: gpuLayersSchema,
  batchSize: z.number().int().nullable(),
  flashAttention: z.boolean(),
  contextSize: z.number().int(),
});
export type BenchRowSettings = z.infer<typeof benchRowSettingsSchema>;

/** Mean and (sample) standard deviation of tokens per second over the repetitions. */
export const benchStatSchema = z.object({ mean: z.number(), sd: z.number() });

export const benchRowSchema = z.object({
  index: z.number().int(),
  modelId: z.string(),
  modelName: z.string(),
  quantization: z.string().nullable(),
  settings: benchRowSettingsSchema,
  status: z.enum(["pending", "running", "ok", "error"]),
  // Runs stored before errors were data kept the message alone.
  error: z.preprocess((value) => (typeof value === "string" ? { code: "INTERNAL", message: value } : value), hearthErrorDataSchema.nullable()),
  /** Repetitions measured so far (live while running). */
  repsDone: z.number().int(),
  pp: benchStatSchema.nullable(),
  tg: benchStatSchema.nullable(),
  ttftMs: z.number().nullable(),
  loadMs: z.number().nullable(),
  peakRssBytes: z.number().nullable(),
  vramBytes: z.number().nullable(),
  /** Effective threads and backend, as the engine reported them. */
  threadsUsed: z.number().int().nullable(),
});
export type BenchRow = z.infer<typeof benchRowSchema>;

export const hardwareFingerprintSchema = z.object({
  cpu: z.string(),
  physicalCores: z.number().int(),
  logicalCores: z.number().int(),
  ramBytes: z.number(),
  gpus: z.array(z.string()),
  vramBytes: z.number().nullable(),
  backend: z.string(),
  os: z.string(),
  hearthVersion: z.string(),
  llamaCppVersion: z.string(),
  nodeLlamaCppVersion: z.string(),
});
export type HardwareFingerprint = z.infer<typeof hardwareFingerprintSchema>;

export const benchRunSchema = z.object({
  id,
  createdAt: z.number(),
  finishedAt: z.number().nullable(),
  status: z.enum(["running", "done", "cancelled", "interrupted"]),
  spec: benchSpecSchema,
  hardware: hardwareFingerprintSchema.nullable(),
  rows: z.array(benchRowSchema),
});
export type BenchRun = z.infer<typeof benchRunSchema>;

/** A bench run's progress: the whole run when it starts and ends, one row as it changes. */
export const benchPacketSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("run"), run: benchRunSchema }),
  z.object({ type: z.literal("row"), runId: id, row: benchRowSchema }),
]);
export type BenchPacket = z.infer<typeof benchPacketSchema>;

export const benchRunSummarySchema = benchRunSchema.omit({ rows: true }).extend({ models: z.array(z.string()), rowCount: z.number().int() });
export type BenchRunSummary = z.infer<typeof benchRunSummarySchema>;

// ---------- arena ----------

export const arenaSideSchema = z.object({
  modelId: z.string(),
  modelName: z.string(),
  status: z.enum(["waiting", "loading", "generating", "done", "error"]),
  text: z.string(),
  tokens: z.number().int(),
  /** Live while generating, final when done. */
  tokensPerSecond: z.number().nullable(),
  timeToFirstTokenMs: z.number().nullable(),
  error: hearthErrorDataSchema.nullable(),
});
export type ArenaSide = z.infer<typeof arenaSideSchema>;

export const arenaStateSchema = z.object({
  id,
  prompt: z.string(),
  /** Both models at once when both fit in memory, else one after the other, and why. */
  mode: z.enum(["together", "oneAfterTheOther"]),
  reason: z.string().nullable(),
  sides: z.tuple([arenaSideSchema, arenaSideSchema]),
  finished: z.boolean(),
});
export type ArenaState = z.infer<typeof arenaStateSchema>;

/** The arena's progress: the whole state when a side's status changes, a side's new text as it streams. */
export const arenaPacketSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("state"), state: arenaStateSchema }),
  z.object({
    type: z.literal("text"),
    arenaId: id,
    side: z.union([z.literal(0), z.literal(1)]),
    text: z.string(),
    tokens: z.number().int(),
    tokensPerSecond: z.number().nullable(),
    timeToFirstTokenMs: z.number().nullable(),
  }),
]);
export type ArenaPacket = z.infer<typeof arenaPacketSchema>;

/** Where a secret is kept: the OS keychain, encrypted by the desktop app's safeStorage, or a 0600 file. */
export const secretStorageSchema = z.enum(["keychain", "encrypted", "file"]);
export type SecretStorage = z.infer<typeof secretStorageSchema>;

/** What the UI may know of a secret: whether one is set, and its last four characters. Never the secret. */
export const secretStatusSchema = z.object({
  set: z.boolean(),
  last4: z.string().max(4).nullable(),
  storage: secretStorageSchema.nullable(),
  note: z.string().nullable(),
});

/** Settings as the UI sees them, with what the environment decides. */
export const settingsViewSchema = z.object({
  settings: appSettingsSchema,
  /** The Hugging Face token for gated repos: set or not, never its value. */
  hfToken: secretStatusSchema,
  /** HF_TOKEN in the environment is used instead of the stored one. */
  hfTokenFromEnv: z.boolean(),
  dataDir: z.string(),
  /** HEARTH_OFFLINE=1 forces offline whatever the setting says. */
  offlineForced: z.boolean(),
  /** The folder downloads go to now. */
  modelsDir: z.string(),
});

/** The desktop app's one channel outside the contract: the system's file dialog (no browser-mode equivalent). */
export const PICK_MODEL_FILE = "desktop.pickModelFile";
/** Desktop only: shows a library model's file in the system's file manager (takes a model id, never a path). */
export const SHOW_MODEL_IN_FOLDER = "desktop.showModelInFolder";

// ---------- calls ----------

const call = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O) => ({ input, output });
const ok = z.object({ ok: z.literal(true) });

export const calls = {
  "conversations.list": call(
    z.object({ limit: z.number().int().min(1).max(10_000).optional(), query: text("The search", MAX_SEARCH_CHARS).optional() }).default({}),
    z.array(conversationSchema),
  ),
  "conversations.get": call(z.object({ id }), z.object({ conversation: conversationSchema, messages: z.array(messageSchema) })),
  /** A window of the shown branch (by default its end): what the chat view reads, never every branch at once. */
  "conversations.view": call(
    z
      .object({ id, start: z.number().int().min(0).optional(), end: z.number().int().min(0).optional() })
      .refine(({ start, end }) => start === undefined || end === undefined || start <= end, { message: "start must not be after end" })
      .refine(({ start, end }) => start === undefined || end === undefined || end - start <= MAX_VIEW_WINDOW, {
        message: `at most ${MAX_VIEW_WINDOW} messages at a time`,
      }),
    z.object({
      conversation: conversationSchema,
      /** Messages on the shown branch, all of them; `messages` holds `start` to `start + messages.length`. */
      branchLength: z.number().int(),
      start: z.number().int(),
      messages: z.array(branchMessageSchema),
    }),
  ),
  /** Shows the previous or next alternative of a message (and the newest branch below it). */
  "conversations.switchBranch": call(z.object({ messageId: id, step: z.union([z.literal(-1), z.literal(1)]) }), conversationSchema),
  "bench.start": call(benchSpecSchema, z.object({ runId: id })),
  /** One prompt to two models, replies side by side (streamed as `arena.onDidUpdate`). */
  "arena.start": call(
    z.object({
      prompt: text("The prompt", MAX_MESSAGE_CHARS).trim().min(1, "The prompt is empty."),
      modelIds: z.tuple([id, id]),
      maxTokens: z.number().int().min(1).max(8192).default(256),
    }),
    z.object({ arenaId: id }),
  ),
  "arena.stop": call(z.object({ arenaId: id }), ok),
  "bench.cancel": call(z.object({ runId: id }), ok),
  "bench.list": call(z.object({}).default({}), z.array(benchRunSummarySchema)),
  "bench.get": call(z.object({ id }), benchRunSchema),
  "bench.export": call(z.object({ id, format: z.enum(["csv", "json", "md"]) }), z.object({ filename: z.string(), content: z.string() })),
  "bench.delete": call(z.object({ id }), ok),
  "conversations.create": call(
    z.object({
      title: text("The title", MAX_TITLE_CHARS).optional(),
      modelId: id.optional(),
      systemPrompt: text("The system prompt", MAX_SYSTEM_PROMPT_CHARS).optional(),
    }),
    conversationSchema,
  ),
  "conversations.rename": call(z.object({ id, title: text("The title", MAX_TITLE_CHARS).trim().min(1, "The title is empty.") }), conversationSchema),
  "conversations.update": call(
    z.object({
      id,
      systemPrompt: text("The system prompt", MAX_SYSTEM_PROMPT_CHARS).nullable().optional(),
      sampling: samplingSettingsSchema.optional(),
      activeLeafId: id.optional(),
      collectionIds: z.array(id).max(MAX_ATTACHED_COLLECTIONS).optional(),
    }),
    conversationSchema,
  ),
  "conversations.delete": call(z.object({ id }), ok),
  "conversations.export": call(z.object({ id, format: z.enum(["md", "json"]) }), z.object({ filename: z.string(), content: z.string() })),

  "models.list": call(z.object({}).default({}), z.array(modelEntrySchema)),
  /** `alreadyInLibrary`: the file was in the library before; nothing was copied or added. */
  "models.import": call(
    z.object({ path: text("The path", MAX_PATH_CHARS).min(1), mode: z.enum(["copy", "reference"]).default("reference") }),
    modelEntrySchema.extend({ alreadyInLibrary: z.boolean() }),
  ),
  /** Points a model whose file went missing at where the file is now. */
  "models.locate": call(z.object({ id, path: text("The path", MAX_PATH_CHARS).min(1) }), modelEntrySchema),
  /** A library model, by id or by its file's path. */
  "models.info": call(z.object({ idOrPath: text("The model id or path", MAX_PATH_CHARS).min(1) }), modelEntrySchema),
  "models.remove": call(z.object({ id, deleteFile: z.boolean().default(true) }), ok),

  /** Where the library's files go, what Hearth's own copies take, and what the disk has left. */
  "models.storage": call(z.object({}).default({}), z.object({ modelsDir: z.string(), ownedBytes: z.number(), freeBytes: z.number() })),
  /** GGUF files in the usual places (downloads, other local-model apps' folders), to offer for import. */
  "models.findOnDisk": call(z.object({}).default({}), z.array(z.object({ path: z.string(), fileSize: z.number(), inLibrary: z.string().nullable() }))),
  "models.rename": call(z.object({ id, name: text("The model's name", 200).nullable() }), modelEntrySchema),
  "models.setSampling": call(z.object({ id, sampling: samplingSettingsSchema.nullable() }), modelEntrySchema),
  "models.setDefaults": call(z.object({ id, defaults: loadSettingsPatchSchema.nullable() }), modelEntrySchema),

  "documents.collections": call(z.object({}).default({}), z.array(collectionSchema)),
  "documents.createCollection": call(z.object({ name: text("The name", MAX_TITLE_CHARS).trim().min(1, "The name is empty.") }), collectionSchema),
  "documents.renameCollection": call(z.object({ id, name: text("The name", MAX_TITLE_CHARS).trim().min(1, "The name is empty.") }), collectionSchema),
  /** Deletes the collection and its index; the files themselves are untouched. */
  "documents.deleteCollection": call(z.object({ id }), ok),
  /** Reranks the collection's searches with a reranker GGUF (tried first: one that cannot rank is refused), or stops (null). */
  "documents.setReranker": call(z.object({ collectionId: id, modelId: id.nullable() }), collectionSchema),
  "documents.list": call(z.object({ collectionId: id }), z.array(documentEntrySchema)),
  /**
   * Indexes files, or the documents inside folders, in the background: progress and each file's
   * outcome arrive as `documents.onDidProgress`. `modelId` (a library model) embeds a collection's
   * first documents; it is fixed after.
   */
  "documents.add": call(
    z.object({ collectionId: id, paths: z.array(text("The path", MAX_PATH_CHARS).min(1)).min(1).max(MAX_ADD_PATHS), modelId: id.optional() }),
    z.object({ ingestId: id }),
  ),
  "documents.cancel": call(z.object({ ingestId: id }), ok),
  /** Removes one document from its collection (the file stays). */
  "documents.remove": call(z.object({ id }), ok),
  /** The passages that best answer a question, each with its document, page and span. */
  "documents.search": call(
    z.object({
      collectionId: id,
      query: text("The question", MAX_SEARCH_CHARS).trim().min(1, "The question is empty."),
      limit: z.number().int().min(1).max(50).default(10),
      documentIds: z.array(id).max(1000).optional(),
    }),
    z.array(passageSchema),
  ),
  /** A page's text, into which passages' spans point. */
  "documents.page": call(z.object({ documentId: id, page: z.number().int().min(1) }), documentPageSchema),
  /** A PDF's page drawn (`width` pixels wide), with the span `start`..`end` of its text marked on it. */
  "documents.pageImage": call(
    z.object({
      documentId: id,
      page: z.number().int().min(1),
      start: z.number().int().min(0).optional(),
      end: z.number().int().min(0).optional(),
      width: z.number().int().min(200).max(2400).default(1000),
    }),
    pageImageSchema,
  ),

  "grids.list": call(z.object({ collectionId: id }), z.array(gridSchema)),
  /** A review grid over a collection's documents; `modelId` answers its cells (by default the model loaded now). */
  "grids.create": call(
    z.object({
      collectionId: id,
      name: text("The name", MAX_TITLE_CHARS).trim().min(1, "The name is empty."),
      columns: z.array(gridColumnInputSchema).max(MAX_GRID_COLUMNS).default([]),
      modelId: id.optional(),
    }),
    gridSchema,
  ),
  /**
   * Renames a grid, sets its model, or replaces its columns (a column keeps its id, and its cells,
   * unless its question or type changed; cells of removed columns go).
   */
  "grids.update": call(
    z.object({
      id,
      name: text("The name", MAX_TITLE_CHARS).trim().min(1, "The name is empty.").optional(),
      modelId: id.optional(),
      columns: z
        .array(gridColumnInputSchema.extend({ id: id.optional() }))
        .max(MAX_GRID_COLUMNS)
        .optional(),
    }),
    gridSchema,
  ),
  "grids.delete": call(z.object({ id }), ok),
  "grids.get": call(z.object({ id }), gridViewSchema),
  /**
   * Answers cells in the background (`grids.onDidUpdate`): all of them, a row (`documentIds`), a
   * column (`columnIds`) or one cell (both). Hand-edited cells are kept unless the run names that
   * one cell; `onlyMissing` skips cells already answered.
   */
  "grids.run": call(
    z.object({
      id,
      documentIds: z.array(id).max(10_000).optional(),
      columnIds: z.array(id).max(MAX_GRID_COLUMNS).optional(),
      onlyMissing: z.boolean().default(false),
    }),
    z.object({ runId: id }),
  ),
  "grids.cancel": call(z.object({ id }), ok),
  /** Sets a cell by hand (marked as edited); the value is checked against its column's type. null clears it. */
  "grids.editCell": call(
    z.object({
      gridId: id,
      documentId: id,
      columnId: id,
      value: z.unknown().refine((value) => value === undefined || JSON.stringify(value).length <= MAX_CELL_VALUE_CHARS, {
        message: `A cell's value may be at most ${MAX_CELL_VALUE_CHARS.toLocaleString("en-US")} characters.`,
      }),
    }),
    gridCellSchema,
  ),
  /** The grid as a file: CSV and JSON as text, XLSX as base64. Each value has its source (document, page) beside it. */
  "grids.export": call(
    z.object({ id, format: z.enum(["csv", "xlsx", "json"]) }),
    z.object({ filename: z.string(), content: z.string(), encoding: z.enum(["utf8", "base64"]) }),
  ),

  "hardware.get": call(z.object({}).default({}), hardwareInfoSchema),
  "hub.catalog": call(z.object({}).default({}), z.array(catalogEntrySchema)),
  "hub.search": call(
    z.object({
      query: text("The search", MAX_SEARCH_CHARS).default(""),
      sort: hubSortSchema.default("downloads"),
      limit: z.number().int().min(1).max(100).default(30),
    }),
    z.array(hubModelSchema),
  ),
  /** A repo's GGUF models by quantization, each with its fit verdict at `contextSize`. */
  "hub.files": call(z.object({ repo: z.string().min(3).max(200), contextSize: z.number().int().min(256).max(1_048_576).default(4096) }), repoFilesSchema),

  /** Queues a model of a repo: `key` is a group's key from `hub.files`. */
  "downloads.start": call(z.object({ repo: z.string().min(3).max(200), key: z.string().min(1).max(1000) }), downloadSchema),
  "downloads.list": call(z.object({}).default({}), z.array(downloadSchema)),
  "downloads.pause": call(z.object({ id }), ok),
  "downloads.resume": call(z.object({ id }), ok),
  "downloads.cancel": call(z.object({ id }), ok),
  "downloads.remove": call(z.object({ id }), ok),

  "network.log": call(z.object({ limit: z.number().int().min(1).max(10_000).default(500) }).default({ limit: 500 }), z.array(networkLogEntrySchema)),
  "network.clear": call(z.object({}).default({}), ok),

  "settings.get": call(z.object({}).default({}), settingsViewSchema),
  /** `hfToken`: a new token (kept in the keychain, sent only to the hub), or "" to forget it. */
  "settings.update": call(appSettingsPatchSchema.extend({ hfToken: z.string().trim().max(500).optional() }), settingsViewSchema),

  /** Remote engines and their models (each list read again when older than a minute, or when `refresh`). */
  "remote.list": call(z.object({ refresh: z.boolean().default(false) }).default({ refresh: false }), z.array(remoteEngineSchema)),
  /** Adds an OpenAI-compatible server once it has listed its models; the key goes to the keychain. */
  "remote.add": call(
    z.object({
      name: text("The name", 80).refine((s) => s.trim().length > 0, "The name is empty"),
      baseUrl: text("The address", 2000).min(1),
      key: z.string().trim().max(500).optional(),
    }),
    remoteEngineSchema,
  ),
  "remote.remove": call(z.object({ id }), ok),

  /** The OpenAI-compatible API (the Server page): its status and log, start and stop, its key. */
  "api.status": call(z.object({}).default({}), apiStatusSchema),
  "api.start": call(z.object({}).default({}), apiStatusSchema),
  "api.stop": call(z.object({}).default({}), apiStatusSchema),
  /** A new key, required from then on; the only answer that carries it whole. */
  "api.createKey": call(z.object({}).default({}), z.object({ key: z.string(), status: apiStatusSchema })),
  "api.revokeKey": call(z.object({}).default({}), apiStatusSchema),

  "engine.state": call(z.object({}).default({}), engineStateSchema),
  "engine.load": call(z.object({ modelId: id, settings: loadSettingsPatchSchema.optional() }), engineStateSchema),
  "engine.unload": call(z.object({}).default({}), engineStateSchema),
  /** "Optimize for this machine": build llama.cpp here, compare it with the prebuilt binary on a model, keep the faster. */
  "engineBuild.status": call(z.object({}).default({}), engineBuildStatusSchema),
  /** Starts the build and comparison (on `modelId`, else the smallest model in the library); follow it with engineBuild.onDidChange. */
  "engineBuild.optimize": call(z.object({ modelId: id.optional() }).default({}), engineBuildStatusSchema),
  "engineBuild.cancel": call(z.object({}).default({}), engineBuildStatusSchema),
  /** Which binary engines load from now on (models loaded after it); "local" needs the local build. */
  "engineBuild.use": call(z.object({ binary: z.enum(["prebuilt", "local"]) }), engineBuildStatusSchema),
  /** Deletes the local build and goes back to the prebuilt binary. */
  "engineBuild.remove": call(z.object({}).default({}), engineBuildStatusSchema),

  "chat.send": call(
    z.object({
      conversationId: id.optional(),
      text: text("The message", MAX_MESSAGE_CHARS).refine((s) => s.trim().length > 0, "The message is empty"),
      /** Branch point: the new user message's parent. Omitted: the conversation's active leaf. */
      parentId: id.nullable().optional(),
      modelId: id.optional(),
      systemPrompt: text("The system prompt", MAX_SYSTEM_PROMPT_CHARS).optional(),
      sampling: samplingSettingsSchema.optional(),
      /** Document collections the conversation answers from from now on (kept with it). */
      collectionIds: z.array(id).max(MAX_ATTACHED_COLLECTIONS).optional(),
      overflow: overflowPolicySchema.default("dropOldest"),
    }),
    chatStartedSchema,
  ),
  "chat.regenerate": call(
    z.object({ messageId: id, sampling: samplingSettingsSchema.optional(), overflow: overflowPolicySchema.default("dropOldest") }),
    chatStartedSchema,
  ),
  /** Writes on from where an assistant reply stopped, into the same message (no new branch). */
  "chat.continue": call(
    z.object({ messageId: id, sampling: samplingSettingsSchema.optional(), overflow: overflowPolicySchema.default("dropOldest") }),
    chatStartedSchema,
  ),
  "chat.abort": call(z.object({ requestId: id }), ok),
  /** A title for a conversation from the loaded model, to offer the user (nothing is stored). */
  "chat.suggestTitle": call(z.object({ conversationId: id }), z.object({ title: z.string() })),
} as const;

/** A conversation was created or changed (title, settings, messages), or deleted. */
export const conversationChangeSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("changed"), conversation: conversationSchema }),
  z.object({ type: z.literal("removed"), id }),
]);
export type ConversationChange = z.infer<typeof conversationChangeSchema>;

export const events = {
  "chat.onDidStream": chatPacketSchema,
  "conversations.onDidChange": conversationChangeSchema,
  "engine.onDidChangeState": engineStateSchema,
  /** A bench run changed: a row started, measured a repetition, or ended; or the run ended. */
  "bench.onDidProgress": benchPacketSchema,
  "arena.onDidUpdate": arenaPacketSchema,
  "downloads.onDidChange": downloadPacketSchema,
  "documents.onDidProgress": ingestProgressSchema,
  "grids.onDidUpdate": gridPacketSchema,
  /** The API started or stopped, its key changed, or a request ended. */
  "api.onDidChange": apiStatusSchema,
  "engineBuild.onDidChange": engineBuildStatusSchema,
} as const;

export type Calls = typeof calls;
export type CallName = keyof Calls;
export type CallInput<N extends CallName> = z.input<Calls[N]["input"]>;
export type CallParsedInput<N extends CallName> = z.output<Calls[N]["input"]>;
export type CallOutput<N extends CallName> = z.output<Calls[N]["output"]>;
export type EventName = keyof typeof events;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;

export const callNames = Object.keys(calls) as CallName[];
export const eventNames = Object.keys(events) as EventName[];

/** What every transport answers: errors cross as data, never as thrown strings. */
export type CallResult<T> = { ok: true; value: T } | { ok: false; error: z.infer<typeof hearthErrorDataSchema> };
