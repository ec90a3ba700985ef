/**
 * Messages between EngineHost (in the app or CLI process) and the engine worker process.
 * Internal to core: the UI never sees these, it sees the contract.
 */
import type { BackendChoice, LoadSettings, OverflowPolicy, SamplingSettings, StopReason } from "../../shared/contract";
import type { HearthErrorData } from "../../shared/errors";

export interface HistoryItem {
  role: "system" | "user" | "assistant";
  /** An assistant turn that called functions: what it wrote after the last call ("" while that is still to come). */
  text: string;
  /** Functions an assistant turn called, in order, each with the result the caller gave back (the API's tool calls). */
  toolCalls?: ToolCallTurn[];
}

/** A function the model called, with its arguments (checked against its schema by grammar). */
export interface ToolCall {
  name: string;
  params: unknown;
}

export interface ToolCallTurn extends ToolCall {
  result: unknown;
  /** What the model wrote just before this call, in the same turn. */
  textBefore?: string;
  /** The first of a later batch of calls in the same turn, made after the results of those before. */
  startsNewChunk?: boolean;
}

/** A function the model may call: its name, what it does, and a JSON schema of its arguments. */
export interface ToolSpec {
  name: string;
  description?: string;
  parameters?: Record<string, unknown>;
}

export interface LoadRequest {
  modelPath: string;
  settings: LoadSettings;
}

export interface LoadResult {
  backend: string;
  contextSize: number;
  threads: number;
  gpuLayers: number;
  loadMs: number;
  trainContextSize: number | null;
}

export interface ChatRequest {
  history: HistoryItem[];
  sampling: SamplingSettings;
  systemPrompt: string | null;
  overflow: OverflowPolicy;
  /** A JSON schema the reply must follow (enforced by grammar while sampling), for typed answers. */
  jsonSchema?: Record<string, unknown>;
  /** The reply so far, to write on from (Continue); the chunks are only what follows it. */
  continueFrom?: string;
  /** Functions the model may call instead of answering; `required` makes it call one, a name that one. */
  tools?: ToolSpec[];
  toolChoice?: "auto" | "required" | { name: string };
}

/** A plain-text continuation of `prompt` (no chat template): the API's /v1/completions. */
export interface CompleteRequest {
  prompt: string;
  sampling: SamplingSettings;
  jsonSchema?: Record<string, unknown>;
}

/** How a reply ended, and its counts and times; its text reached the host as chunks only. */
export interface ChatResult {
  promptTokens: number;
  evaluatedPromptTokens: number;
  completionTokens: number;
  /** Engine-side times, in ms since the request reached the worker. */
  firstTokenMs: number | null;
  lastTokenMs: number | null;
  /** The engine's whole time on the request, to its answer: what the model cost, seen from its side. */
  engineMs: number;
  stopReason: StopReason;
  droppedMessages: number;
  contextSize: number;
  /** The calls the model made (stopReason "toolCalls"). */
  toolCalls?: ToolCall[];
}

/** One llama-bench style measurement on the loaded model (see engineWorker's `bench`). */
export interface BenchRequest {
  /** Prompt tokens evaluated at once, timed as prompt processing. */
  pp: number;
  /** Tokens generated one by one, timed as generation. */
  tg: number;
  /** Tokens already in the context before each measurement (not timed). */
  depth: number;
  /** Timed repetitions, after one untimed warm-up. */
  reps: number;
}

export interface BenchSample {
  ppMs: number;
  tgMs: number;
  /** From the prompt's start to the first generated token: prompt processing plus one sample. */
  ttftMs: number;
}

export interface BenchResult {
  samples: BenchSample[];
  /** The engine process's peak resident memory since it started. */
  peakRssBytes: number;
  /** VRAM in use at the end, on a GPU backend. */
  vramUsedBytes: number | null;
}

/** What the engine knows of the machine: recorded with every bench run. */
export interface EngineSystemInfo {
  backend: string;
  gpuDevices: string[];
  vramTotalBytes: number | null;
  /** llama.cpp's release, and "(built on this machine)" when the engine runs the local build. */
  llamaCpp: string;
}

/** The engine's view of the machine's GPU backends (the core adds RAM and CPU). */
export interface BackendProbe {
  backends: { name: "metal" | "cuda" | "vulkan" | "cpu"; usable: boolean; reason: string | null }[];
  chosen: "metal" | "cuda" | "vulkan" | "cpu";
  fallbackReason: string | null;
  gpus: string[];
  vram: { totalBytes: number; freeBytes: number } | null;
}

export interface FitRequest {
  /** A GGUF file, or a local copy of its header (with every split part's header beside it). */
  path: string;
  contextSize: number;
}

export interface FitEstimate {
  gpu: boolean;
  gpuLayers: number;
  totalLayers: number;
  contextSize: number;
  ramBytes: number;
  vramBytes: number;
}

/** Every operation the host asks of the worker: what it sends with it, and what it answers. */
export interface EngineOps {
  load: { params: { request: LoadRequest }; result: LoadResult };
  unload: { params: Record<never, never>; result: undefined };
  chat: { params: { request: ChatRequest }; result: ChatResult };
  complete: { params: { request: CompleteRequest }; result: ChatResult };
  tokenize: { params: { text: string }; result: { tokens: number[] } };
  embed: { params: { text: string }; result: { vector: number[] } };
  /** Vectors for several texts in one trip; a text longer than the embedding context is cut to fit (counted in `truncated`). */
  embedBatch: { params: { texts: string[] }; result: { vectors: number[][]; truncated: number } };
  /** How well each document answers the query, 0 to 1, by a reranking model (its ranking context). */
  rank: { params: { query: string; documents: string[] }; result: { scores: number[] } };
  bench: { params: { request: BenchRequest }; result: BenchResult };
  systemInfo: { params: Record<never, never>; result: EngineSystemInfo };
  probeBackends: { params: Record<never, never>; result: BackendProbe };
  fit: { params: { request: FitRequest }; result: FitEstimate };
}
export type EngineOp = keyof EngineOps;
/** One operation's message: its name, the request id, and its parameters. */
export type OpMessage<K extends EngineOp> = { type: K; id: string } & EngineOps[K]["params"];

export type HostToWorker =
  | { [K in EngineOp]: OpMessage<K> }[EngineOp]
  /** Stops a reply (`target` is the chat's id); answered by that chat's own end. */
  | { type: "abort"; id: string; target: string }
  | { type: "shutdown" };

export type WorkerToHost =
  /** `build`: the llama.cpp binary the process loaded (a local build asked for but missing falls back to the prebuilt one). */
  | { type: "ready"; backend: string; build: "prebuilt" | "local" }
  | { type: "result"; id: string; value: unknown }
  | { type: "error"; id: string; error: HearthErrorData }
  | { type: "loadProgress"; id: string; progress: number }
  | { type: "chunk"; id: string; text: string; segment: "answer" | "thought"; tokens: number }
  | { type: "trimmed"; id: string; droppedMessages: number }
  | { type: "benchProgress"; id: string; done: number; total: number }
  | { type: "fatal"; error: HearthErrorData };

export interface WorkerStartOptions {
  backend: BackendChoice;
}
