/**
 * The engine process: the only place node-llama-cpp runs. Started by EngineHost with
 * child_process.fork (Node) or utilityProcess.fork (Electron); a crash here never takes the app
 * down. Replies run side by side, one per sequence of the context (a model loaded with several
 * sequences serves several at once, their decodes batched); anything that changes or borrows the
 * whole model (load, unload, bench, embeddings, ranking) waits for them, old model disposed first.
 */
import { performance } from "node:perf_hooks";
import {
  getLlama,
  InsufficientMemoryError,
  LlamaChat,
  LlamaCompletion,
  LlamaLogLevel,
  TokenBias,
  type ChatHistoryItem,
  type Llama,
  type LlamaContext,
  type LlamaContextSequence,
  type GbnfJsonSchema,
  type LlamaEmbeddingContext,
  type LlamaRankingContext,
  type LlamaGrammar,
  type LlamaModel,
} from "node-llama-cpp";
import { HearthError, toErrorData } from "../../../shared/errors";
import type { SamplingSettings, StopReason } from "../../../shared/contract";
import { DEFAULT_CONTEXT_SIZE } from "../../../shared/defaults";
import { physicalCoreCount } from "./physicalCores";
import { estimateFit, probeBackends } from "./advisorOps";
import { createDeltaBatcher } from "./deltaBatcher";
import { endsInAnsweredCalls, fitHistory, replyReserve, toChatHistory } from "./historyFit";
import type {
  CompleteRequest,
  BenchRequest,
  BenchResult,
  BenchSample,
  EngineSystemInfo,
  ChatRequest,
  ChatResult,
  EngineOp,
  EngineOps,
  HostToWorker,
  LoadRequest,
  LoadResult,
  OpMessage,
  WorkerToHost,
} from "../protocol";
import { localBuildCmakeOptions } from "./localBuildOptions";
import { createSharedExclusive } from "./sharedExclusive";
import { callingWrapper, functionsFor } from "./toolCalling";
import { workerPort } from "./workerPort";

/** One sequence of the context and the chat on it: one reply at a time. */
interface Slot {
  sequence: LlamaContextSequence;
  chat: LlamaChat;
}

interface Loaded {
  model: LlamaModel;
  context: LlamaContext;
  slots: Slot[];
  /** Slots no reply holds, and the replies waiting for one (first come, first served). */
  free: Slot[];
  waiting: ((slot: Slot) => void)[];
  embedding?: LlamaEmbeddingContext;
  ranking?: LlamaRankingContext;
}

const port = workerPort();
const send = (message: WorkerToHost) => port.send(message);
const backendArg = process.argv.find((arg) => arg.startsWith("--backend="))?.slice("--backend=".length) ?? "auto";
/** "local": llama.cpp as built on this machine by "Optimize for this machine" (see localBuild.ts), else node-llama-cpp's prebuilt binary. */
const binaryArg = process.argv.find((arg) => arg.startsWith("--binary="))?.slice("--binary=".length) ?? "prebuilt";

let llama: Llama;
let loaded: Loaded | null = null;
const order = createSharedExclusive();
const aborts = new Map<string, AbortController>();

/** Runs `job` on a slot of its own, once one is free; the slot goes back when it ends. */
async function withSlot<T>(job: (slot: Slot, current: Loaded) => Promise<T>): Promise<T> {
  const current = requireLoaded();
  const slot = current.free.pop() ?? (await new Promise<Slot>((resolve) => current.waiting.push(resolve)));
  try {
    return await job(slot, current);
  } finally {
    const next = current.waiting.shift();
    if (next) next(slot);
    else current.free.push(slot);
  }
}

/** Answers one operation with its result, typed by the protocol's map, or with its error as data. */
function answer<K extends EngineOp>(message: OpMessage<K>, job: () => Promise<EngineOps[K]["result"]>): void {
  const { id } = message;
  job().then(
    (value) => send({ type: "result", id, value }),
    (error) => send({ type: "error", id, error: toErrorData(mapNativeError(error)) }),
  );
}

async function load(id: string, { modelPath, settings }: LoadRequest): Promise<LoadResult> {
  await unload();
  const started = performance.now();
  const gpuLayers = settings.gpuLayers === "off" || llama.gpu === false ? 0 : settings.gpuLayers;
  const model = await llama.loadModel({
    modelPath,
    gpuLayers,
    ...(settings.useMmap !== undefined ? { useMmap: settings.useMmap } : {}),
    defaultContextFlashAttention: settings.flashAttention,
    onLoadProgress: (progress) => send({ type: "loadProgress", id, progress }),
  });
  try {
    const trainContextSize = model.trainContextSize || null;
    if (settings.contextSize && trainContextSize && settings.contextSize > trainContextSize) {
      throw new HearthError("INVALID_INPUT", `Context size ${settings.contextSize} is larger than the model supports (${trainContextSize} tokens).`, {
        suggestion: `Use a context size of at most ${trainContextSize}.`,
      });
    }
    const threads = settings.threads ?? physicalCoreCount();
    const sequences = settings.sequences ?? 1;
    const context = await model.createContext({
      sequences,
      contextSize: settings.contextSize ?? Math.min(trainContextSize ?? DEFAULT_CONTEXT_SIZE, DEFAULT_CONTEXT_SIZE),
      threads,
      ...(settings.batchSize ? { batchSize: settings.batchSize } : {}),
      flashAttention: settings.flashAttention,
      ...(settings.kvCacheKeyType ? { experimentalKvCacheKeyType: settings.kvCacheKeyType.toUpperCase() as "F16" } : {}),
      ...(settings.kvCacheValueType ? { experimentalKvCacheValueType: settings.kvCacheValueType.toUpperCase() as "F16" } : {}),
    });
    const slots = Array.from({ length: sequences }, () => {
      const sequence = context.getSequence();
      return { sequence, chat: new LlamaChat({ contextSequence: sequence }) };
    });
    await warmUp(slots[0]!.chat);
    loaded = { model, context, slots, free: [...slots].reverse(), waiting: [] };
    return {
      backend: llama.gpu === false ? "cpu" : llama.gpu,
      contextSize: context.contextSize,
      threads,
      gpuLayers: model.gpuLayers,
      loadMs: performance.now() - started,
      trainContextSize,
    };
  } catch (error) {
    await model.dispose();
    throw error;
  }
}

/**
 * One throwaway one-token reply, so "loaded" means ready: the first real message does not pay for
 * weights still paging in, compute buffers being set up, or cold code paths.
 */
async function warmUp(chat: LlamaChat): Promise<void> {
  await chat.generateResponse(
    [
      { type: "user", text: "Hi" },
      { type: "model", response: [] },
    ],
    { maxTokens: 1 },
  );
  await chat.sequence.clearHistory();
}

async function unload(): Promise<void> {
  if (!loaded) return;
  const current = loaded;
  loaded = null;
  for (const slot of current.slots) slot.chat.dispose();
  await current.embedding?.dispose();
  await current.ranking?.dispose();
  await current.context.dispose();
  await current.model.dispose();
}

function requireLoaded(): Loaded {
  if (!loaded) throw new HearthError("MODEL_NOT_LOADED", "No model is loaded in the engine.");
  return loaded;
}

async function chat(id: string, request: ChatRequest, signal: AbortSignal, { chat, sequence }: Slot, { context, model }: Loaded): Promise<ChatResult> {
  const started = performance.now();
  const contextSize = context.contextSize;
  const { sampling } = request;

  // A continued reply is the history's last item: the model writes on from its end.
  const continuing = request.continueFrom !== undefined;
  const items = continuing ? [...request.history, { role: "assistant" as const, text: request.continueFrom! }] : request.history;
  const functions = await functionsFor(request, grammarFor);
  const fit = fitHistory({
    history: toChatHistory(request.systemPrompt, items),
    contextSize,
    reserve: replyReserve(contextSize, sampling.maxTokens),
    policy: request.overflow,
    // The functions' descriptions are part of the prompt (the wrapper writes them into it).
    countTokens: (history) =>
      chat.chatWrapper
        .generateContextState({ chatHistory: history, availableFunctions: functions, documentFunctionParams: true })
        .contextText.tokenize(model.tokenizer).length,
  });
  if (fit.droppedMessages > 0) send({ type: "trimmed", id, droppedMessages: fit.droppedMessages });

  // Never let generation run past the context: node-llama-cpp would shift (silently drop) history.
  const roomLeft = Math.max(1, contextSize - fit.promptTokens - 1);
  const maxTokens = Math.min(sampling.maxTokens ?? roomLeft, roomLeft);

  const clock = tokenClock(model, started);
  const batcher = createDeltaBatcher((delta, segment, tokens) => send({ type: "chunk", id, text: delta, segment, tokens }));
  const meterBefore = sequence.tokenMeter.getState();

  let stopReason: StopReason;
  let toolCalls: ChatResult["toolCalls"];
  // A call that must be made starts the reply inside one, on a chat of its own over the same sequence.
  const mustCall = functions !== undefined && request.toolChoice !== undefined && request.toolChoice !== "auto";
  const generator = mustCall ? new LlamaChat({ contextSequence: sequence, chatWrapper: callingWrapper(chat.chatWrapper) }) : chat;
  try {
    if (signal.aborted) throw signal.reason;
    const grammar = request.jsonSchema ? await grammarFor(request.jsonSchema) : undefined;
    // After a turn's calls and their results, the model answers in that same turn.
    const goesOn = continuing || endsInAnsweredCalls(items);
    const history: ChatHistoryItem[] = goesOn ? fit.history : [...fit.history, { type: "model", response: [] }];
    const response = await generator.generateResponse(history, {
      signal,
      stopOnAbortSignal: true,
      maxTokens,
      ...samplingOptions(sampling),
      // One or the other (functionsFor refuses both): node-llama-cpp's types say so.
      ...(functions ? { functions, documentFunctionParams: true } : { grammar }),
      tokenBias: clock.tick,
      onResponseChunk: (chunk) => {
        if (chunk.text.length > 0) batcher.push(chunk.text, chunk.type === "segment" ? "thought" : "answer", chunk.tokens.length);
      },
    });
    stopReason = mapStopReason(response.metadata.stopReason, maxTokens < (sampling.maxTokens ?? Infinity));
    if (response.functionCalls?.length) toolCalls = response.functionCalls.map((call) => ({ name: call.functionName, params: call.params }));
  } catch (error) {
    if (!signal.aborted) throw error;
    stopReason = "aborted";
  } finally {
    batcher.flush();
    if (generator !== chat) generator.dispose();
  }

  return {
    ...replyResult(sequence, meterBefore, {
      promptTokens: fit.promptTokens,
      ...clock.times(),
      started,
      stopReason,
      droppedMessages: fit.droppedMessages,
    }),
    ...(toolCalls ? { toolCalls } : {}),
  };
}

/** A reply's counts and times, from the sequence's token meter since `meterBefore`. */
function replyResult(
  sequence: LlamaContextSequence,
  meterBefore: ReturnType<LlamaContextSequence["tokenMeter"]["getState"]>,
  reply: Pick<ChatResult, "promptTokens" | "firstTokenMs" | "lastTokenMs" | "stopReason" | "droppedMessages"> & { started: number },
): ChatResult {
  const used = sequence.tokenMeter.diff(meterBefore);
  return {
    promptTokens: reply.promptTokens,
    // The last prompt token is decoded with logits, so the meter counts it as output.
    evaluatedPromptTokens: used.usedInputTokens + (used.usedOutputTokens > 0 ? 1 : 0),
    completionTokens: used.usedOutputTokens,
    firstTokenMs: reply.firstTokenMs,
    lastTokenMs: reply.lastTokenMs,
    engineMs: performance.now() - reply.started,
    stopReason: reply.stopReason,
    droppedMessages: reply.droppedMessages,
    contextSize: sequence.context.contextSize,
  };
}

/**
 * A plain continuation of the prompt, no chat template (the API's /v1/completions), on the same
 * sequence as the chat (the chat finds its own history again by prefix next time).
 */
async function complete(id: string, request: CompleteRequest, signal: AbortSignal, { sequence }: Slot, { model, context }: Loaded): Promise<ChatResult> {
  const started = performance.now();
  const contextSize = context.contextSize;
  const { sampling } = request;
  const prompt = model.tokenize(request.prompt);
  if (prompt.length === 0) throw new HearthError("INVALID_INPUT", "The prompt is empty.");
  const withBos = model.tokens.bos !== null && model.tokens.shouldPrependBosToken ? [model.tokens.bos, ...prompt] : prompt;
  if (withBos.length >= contextSize) {
    throw new HearthError("CONTEXT_OVERFLOW", `The prompt takes ${withBos.length} tokens; the context holds ${contextSize}.`, {
      suggestion: "Shorten the prompt, or load the model with a larger context.",
    });
  }
  const roomLeft = Math.max(1, contextSize - withBos.length - 1);
  const maxTokens = Math.min(sampling.maxTokens ?? roomLeft, roomLeft);
  const clock = tokenClock(model, started);
  const batcher = createDeltaBatcher((delta, segment, tokens) => send({ type: "chunk", id, text: delta, segment, tokens }));
  const meterBefore = sequence.tokenMeter.getState();
  const completion = new LlamaCompletion({ contextSequence: sequence });
  let stopReason: StopReason;
  try {
    if (signal.aborted) throw signal.reason;
    const grammar = request.jsonSchema ? await grammarFor(request.jsonSchema) : undefined;
    const response = await completion.generateCompletionWithMeta(withBos, {
      signal,
      stopOnAbortSignal: true,
      maxTokens,
      ...samplingOptions(sampling),
      grammar,
      tokenBias: clock.tick,
      onTextChunk: (text) => batcher.push(text, "answer", 1),
    });
    stopReason = mapStopReason(response.metadata.stopReason, maxTokens < (sampling.maxTokens ?? Infinity));
  } catch (error) {
    if (!signal.aborted) throw error;
    stopReason = "aborted";
  } finally {
    batcher.flush();
    completion.dispose();
  }
  return replyResult(sequence, meterBefore, { promptTokens: withBos.length, ...clock.times(), started, stopReason, droppedMessages: 0 });
}

/**
 * When each token of a reply was made, on the engine's clock. node-llama-cpp asks for the token
 * bias once per token, when its logits are ready to sample: the one hook that sees every token as
 * it is made. Text callbacks do not: they hold back tokens that may be part of a stop string or of
 * a character and release them later (a reply of such tokens would seem to be made all at once).
 * The bias given is empty.
 */
function tokenClock(model: LlamaModel, started: number) {
  let firstTokenMs: number | null = null;
  let lastTokenMs: number | null = null;
  const none = new TokenBias(model.tokenizer);
  return {
    tick: (): TokenBias => {
      const now = performance.now() - started;
      firstTokenMs ??= now;
      lastTokenMs = now;
      return none;
    },
    times: () => ({ firstTokenMs, lastTokenMs }),
  };
}

/** Hearth's sampling settings as node-llama-cpp's generation options (chat and completion alike). */
function samplingOptions(sampling: SamplingSettings) {
  return {
    temperature: sampling.temperature,
    topK: sampling.topK,
    topP: sampling.topP,
    minP: sampling.minP,
    seed: sampling.seed,
    repeatPenalty: sampling.repeatPenalty && sampling.repeatPenalty !== 1 ? { penalty: sampling.repeatPenalty, lastTokens: 64 } : (false as const),
    customStopTriggers: sampling.stop,
  };
}

/** Grammars made from JSON schemas, by the schema's text: a grid asks the same few many times. */
const grammars = new Map<string, Promise<LlamaGrammar>>();

function grammarFor(schema: Record<string, unknown>): Promise<LlamaGrammar> {
  const key = JSON.stringify(schema);
  let grammar = grammars.get(key);
  if (!grammar) {
    grammar = llama.createGrammarForJsonSchema<GbnfJsonSchema>(schema as GbnfJsonSchema).catch((error: unknown) => {
      grammars.delete(key);
      throw new HearthError("INVALID_INPUT", `The JSON schema cannot be followed: ${error instanceof Error ? error.message : String(error)}`);
    });
    if (grammars.size >= 64) grammars.delete(grammars.keys().next().value!);
    grammars.set(key, grammar);
  }
  return grammar;
}

function mapStopReason(reason: string, cappedByContext: boolean): StopReason {
  switch (reason) {
    case "maxTokens":
      return cappedByContext ? "contextFull" : "maxTokens";
    case "customStopTrigger":
      return "stopString";
    case "functionCalls":
      return "toolCalls";
    case "abort":
      return "aborted";
    default:
      return "eos";
  }
}

async function tokenize(text: string): Promise<{ tokens: number[] }> {
  const { model } = requireLoaded();
  return { tokens: Array.from(model.tokenize(text)) };
}

/** The ranking context: a query and one passage (~200 tokens) at a time. */
const RANKING_CONTEXT = 1024;

/** The largest embedding context made: chunks are ~200 tokens, and a bigger one only costs memory. */
const EMBEDDING_CONTEXT = 2048;

async function embeddingContext() {
  const current = requireLoaded();
  const contextSize = Math.min(EMBEDDING_CONTEXT, current.model.trainContextSize);
  current.embedding ??= await current.model.createEmbeddingContext({ threads: current.context.currentThreads, contextSize, batchSize: contextSize });
  return { embedding: current.embedding, model: current.model, contextSize };
}

async function embed(text: string): Promise<{ vector: number[] }> {
  const { vectors } = await embedBatch([text]);
  return { vector: vectors[0]! };
}

/** Each text's vector; one longer than the context is cut to its first tokens rather than refused. */
async function embedBatch(texts: string[]): Promise<{ vectors: number[][]; truncated: number }> {
  const { embedding, model, contextSize } = await embeddingContext();
  const vectors: number[][] = [];
  let truncated = 0;
  for (const text of texts) {
    let tokens = model.tokenize(text);
    // The context also holds the tokens the model adds (BOS, EOS): leave room for them.
    const room = contextSize - (embedding.calculateInputLength(tokens) - tokens.length) - 1;
    if (tokens.length > room) {
      tokens = tokens.slice(0, room);
      truncated++;
    }
    vectors.push(Array.from((await embedding.getEmbeddingFor(tokens)).vector));
  }
  return { vectors, truncated };
}

/**
 * Each document's score for the query. A document too long for the context is cut to what fits
 * beside the query (a reranker reads the start of a passage as well as all of it).
 */
async function rank(query: string, documents: string[]): Promise<{ scores: number[] }> {
  const current = requireLoaded();
  if (!current.model.fileInsights.supportsRanking) {
    throw new HearthError("INVALID_INPUT", "This model cannot rerank: it has no ranking head.", {
      suggestion: "Pick a reranker GGUF, such as bge-reranker-v2-m3 or Qwen3-Reranker-0.6B.",
    });
  }
  const contextSize = Math.min(RANKING_CONTEXT, current.model.trainContextSize);
  current.ranking ??= await current.model.createRankingContext({ threads: current.context.currentThreads, contextSize, batchSize: contextSize });
  const room = Math.max(16, contextSize - current.model.tokenize(query).length - 8);
  const fitted = documents.map((text) => {
    const tokens = current.model.tokenize(text);
    return tokens.length > room ? current.model.detokenize(tokens.slice(0, room)) : text;
  });
  return { scores: await current.ranking.rankAll(query, fitted) };
}

// Any text will do: speed does not depend on which tokens are evaluated, only on how many.
const BENCH_TEXT =
  "The quick brown fox jumps over the lazy dog while the river runs past old stone bridges, and people in the market talk about weather, prices, music and the long road home. ";

/**
 * The llama-bench method on the loaded model: for each repetition the context is cleared, filled
 * to `depth` (untimed), then `pp` prompt tokens are evaluated as one batch run (timed to the first
 * generated token, which also gives the time to first token); then, from `depth` again (as
 * llama-bench's tg test starts from it, not from after the prompt), `tg` tokens are decoded one
 * at a time (timed). One warm-up repetition comes first and is not kept.
 */
async function bench(id: string, { pp, tg, depth, reps }: BenchRequest): Promise<BenchResult> {
  const { model, context, slots } = requireLoaded();
  const { sequence } = slots[0]!;
  const needed = depth + pp + tg + 1;
  if (needed > context.contextSize) {
    throw new HearthError(
      "INVALID_INPUT",
      `A depth of ${depth}, ${pp} prompt and ${tg} generated tokens need a context of ${needed}; this one holds ${context.contextSize}.`,
      {
        suggestion: `Load with a context size of at least ${needed} (--ctx).`,
      },
    );
  }
  const source = model.tokenize(BENCH_TEXT);
  const tokens = (count: number, offset = 0) => Array.from({ length: count }, (_, i) => source[(i + offset) % source.length]!);
  const samples: BenchSample[] = [];
  for (let rep = 0; rep <= reps; rep++) {
    await sequence.clearHistory();
    if (depth > 0) await sequence.evaluateWithoutGeneratingNewTokens(tokens(depth));
    const started = performance.now();
    // The prompt starts with the token after the depth filler, so nothing is reused from a cache.
    const prompt = sequence.evaluate(tokens(Math.max(pp, 1), depth), { temperature: 0, yieldEogToken: true });
    await prompt.next();
    const ppMs = performance.now() - started;
    await prompt.return();
    let tgMs = 0;
    if (tg > 0) {
      await sequence.eraseContextTokenRanges([{ start: depth, end: sequence.nextTokenIndex }]);
      // Each step decodes one token: the first is given, the rest are the ones sampled.
      const tgStarted = performance.now();
      const generator = sequence.evaluate(tokens(1, depth + pp), { temperature: 0, yieldEogToken: true });
      for (let decoded = 0; decoded < tg; decoded++) if ((await generator.next()).done) break;
      tgMs = performance.now() - tgStarted;
      await generator.return();
    }
    if (rep > 0) samples.push({ ppMs, tgMs, ttftMs: ppMs });
    send({ type: "benchProgress", id, done: rep, total: reps });
  }
  await sequence.clearHistory();
  const vram = llama.gpu === false ? null : (await llama.getVramState()).used;
  return { samples, peakRssBytes: process.resourceUsage().maxRSS * 1024, vramUsedBytes: vram };
}

async function systemInfo(): Promise<EngineSystemInfo> {
  const gpu = llama.gpu !== false;
  return {
    backend: gpu ? String(llama.gpu) : "cpu",
    gpuDevices: gpu ? await llama.getGpuDeviceNames() : [],
    vramTotalBytes: gpu ? (await llama.getVramState()).total : null,
    // A bench run says which binary it measured: a local build is not the release's binary.
    llamaCpp: llama.buildType === "localBuild" ? `${llama.llamaCppRelease.release} (built on this machine)` : llama.llamaCppRelease.release,
  };
}

function mapNativeError(error: unknown): unknown {
  if (error instanceof HearthError) return error;
  if (error instanceof InsufficientMemoryError) {
    return new HearthError("OUT_OF_MEMORY", `Not enough memory: ${error.message}`, { cause: error });
  }
  const message = error instanceof Error ? error.message : String(error);
  if (/ENOENT|no such file/i.test(message)) return new HearthError("MODEL_FILE_MISSING", message, { cause: error });
  if (/failed to load model|invalid gguf|magic|unknown model architecture|tensor/i.test(message)) {
    return new HearthError("MODEL_INVALID", `The engine could not load the model: ${message}`, { cause: error });
  }
  if (/out of memory|failed to allocate|insufficient memory/i.test(message)) {
    return new HearthError("OUT_OF_MEMORY", message, { cause: error });
  }
  return error;
}

function handle(message: HostToWorker): void {
  switch (message.type) {
    case "load":
      answer(message, () => order.exclusive(() => load(message.id, message.request)));
      break;
    case "unload":
      answer(message, () => order.exclusive(unload).then(() => undefined));
      break;
    case "chat":
    case "complete": {
      const controller = new AbortController();
      aborts.set(message.id, controller);
      const reply = message.type === "chat" ? chat.bind(null, message.id, message.request) : complete.bind(null, message.id, message.request);
      answer(message, () => order.shared(() => withSlot((slot, current) => reply(controller.signal, slot, current))).finally(() => aborts.delete(message.id)));
      break;
    }
    case "abort":
      // The chat it stops answers for itself (ABORTED, with its partial text).
      aborts.get(message.target)?.abort(new HearthError("ABORTED", "Stopped."));
      break;
    case "tokenize":
      answer(message, () => order.shared(() => tokenize(message.text)));
      break;
    case "embed":
      answer(message, () => order.exclusive(() => embed(message.text)));
      break;
    case "rank":
      answer(message, () => order.exclusive(() => rank(message.query, message.documents)));
      break;
    case "embedBatch":
      answer(message, () => order.exclusive(() => embedBatch(message.texts)));
      break;
    case "bench":
      answer(message, () => order.exclusive(() => bench(message.id, message.request)));
      break;
    case "systemInfo":
      answer(message, systemInfo);
      break;
    case "probeBackends":
      answer(message, () => probeBackends(llama, backendArg));
      break;
    case "fit":
      answer(message, () => estimateFit(llama, message.request));
      break;
    case "shutdown":
      void order.exclusive(unload).finally(() => process.exit(0));
      break;
    default: {
      const unknown: never = message;
      throw new Error(`Unknown engine message ${JSON.stringify(unknown)}`);
    }
  }
}

async function main(): Promise<void> {
  try {
    llama = await getLlama({
      gpu: backendArg === "cpu" ? false : "auto",
      // The local build is only looked up, never started here; missing, the prebuilt binary loads.
      ...(binaryArg === "local" ? { build: "never" as const, cmakeOptions: localBuildCmakeOptions() } : {}),
      logLevel: LlamaLogLevel.error,
      logger: (level, text) => {
        if (level === LlamaLogLevel.error || level === LlamaLogLevel.fatal) process.stderr.write(`[engine] ${text}\n`);
      },
    });
  } catch (error) {
    send({ type: "fatal", error: toErrorData(error) });
    process.exit(1);
  }
  port.onMessage(handle);
  send({ type: "ready", backend: llama.gpu === false ? "cpu" : llama.gpu, build: llama.buildType === "localBuild" ? "local" : "prebuilt" });
}

void main();
