import { randomUUID, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { z } from "zod";
import type { ApiLogEntry } from "../../shared/contract";
import type { SamplingSettings, StopReason } from "../../shared/contract";
import { defaultSampling } from "../../shared/defaults";
import { HearthError, toErrorData } from "../../shared/errors";
import type { EngineHost } from "../engine/EngineHost";
import type { ChatResult } from "../engine/protocol";
import type { ModelLibrary } from "../models/ModelLibrary";
import { isLoopback } from "../network/loopback";
import { allowedHostHeaders, checkExposure, createListener, displayHost, type Exposure } from "../server/exposure";
import { ApiEngine, type ApiEngineOptions } from "./ApiEngine";
import { historyOf, toolCallsOut, toolsOf } from "./toolCalls";
import {
  type ChatCompletionRequest,
  type CompletionRequest,
  chatCompletionRequestSchema,
  completionRequestSchema,
  type EmbeddingsRequest,
  embeddingsRequestSchema,
  messageText,
} from "./openAiSchemas";

export interface OpenAiServerOptions extends ApiEngineOptions, Partial<Exposure> {
  library: ModelLibrary;
  port: number;
  /** Web origins whose pages may call the API (CORS); none by default. */
  corsOrigins?: readonly string[];
  /** Required as `Authorization: Bearer <key>` when set; a function is asked at each request (a key made or revoked while it runs). */
  apiKey: string | null | (() => string | null);
  /** Largest request body accepted. */
  maxBodyBytes?: number;
  /** Each request as it ends (the CLI prints it). */
  onRequest?(entry: ApiLogEntry): void;
}

const LOG_SIZE = 500;

const MAX_BODY = 4 * 1024 * 1024;
/** Seconds a client told "busy" (429) is asked to wait before it retries. */
const RETRY_AFTER_S = 2;

/**
 * An OpenAI-compatible API: `/v1/models`, `/v1/chat/completions` (streamed as server-sent events
 * or whole), `/v1/completions`, `/v1/embeddings`, with OpenAI's error shape. Models are the
 * library's, by id. On this machine's loopback address unless asked otherwise, and then only over
 * TLS (or said to be trusted) and with a strong key. Requests from web pages are refused unless
 * their origin is listed (CORS), and so are Host names other than this machine's (DNS rebinding).
 */
export async function startOpenAiServer(
  options: OpenAiServerOptions,
): Promise<{ url: string; port: number; api: ApiEngine; log: ApiLogEntry[]; close(): Promise<void> }> {
  const host = options.host ?? "127.0.0.1";
  const currentKey = () => (typeof options.apiKey === "function" ? options.apiKey() : options.apiKey);
  checkExposure({ ...options, host }, { name: "An API key", value: currentKey(), flag: "--api-key-file or HEARTH_API_KEY" });
  const remote = !isLoopback(host);
  const cors = new Set((options.corsOrigins ?? []).map(normalOrigin));
  const api = new ApiEngine(options.library, options);
  let hosts = new Set<string>();
  const log: ApiLogEntry[] = [];
  // What a request's handler learned (its model, its counts), for its log line.
  const notes = new WeakMap<ServerResponse, Partial<ApiLogEntry>>();
  const server = await createListener(options);
  server.on("request", (request, response) => {
    const started = performance.now();
    // Logged when its handler is done (a reply stopped by a client that left is logged as stopped).
    const record = () => {
      const entry: ApiLogEntry = {
        at: Date.now(),
        method: request.method ?? "?",
        path: new URL(request.url ?? "/", "http://localhost").pathname,
        model: null,
        status: response.statusCode,
        promptTokens: null,
        completionTokens: null,
        tokensPerSecond: null,
        stopReason: null,
        latencyMs: Math.round(performance.now() - started),
        ...notes.get(response),
      };
      log.push(entry);
      if (log.length > LOG_SIZE) log.shift();
      options.onRequest?.(entry);
    };
    void handle(request, response)
      .catch((error: unknown) => fail(response, error))
      .finally(record);
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (!hosts.has((request.headers.host ?? "").toLowerCase()))
      return send(response, 403, apiError("This server answers to its own address only.", "invalid_request_error"));
    // A web page's request carries an Origin: only listed origins' pages may use the API.
    const origin = request.headers.origin;
    if (origin) {
      if (!cors.has(normalOrigin(origin))) return send(response, 403, apiError("Requests from web pages are not allowed.", "invalid_request_error"));
      response.setHeader("access-control-allow-origin", origin);
      response.setHeader("vary", "Origin");
      if (request.method === "OPTIONS") {
        response.writeHead(204, {
          "access-control-allow-methods": "GET, POST, OPTIONS",
          // What the page's client asks to send (the openai package adds headers of its own).
          "access-control-allow-headers": request.headers["access-control-request-headers"] ?? "authorization, content-type",
          "access-control-max-age": "600",
        });
        return void response.end();
      }
    }
    const key = currentKey();
    // Reachable from other machines, the API never answers without a key (one revoked while it runs included).
    if (remote && !key)
      return send(response, 401, apiError("This API needs a key: make one on the Server page.", "invalid_request_error", null, "invalid_api_key"));
    if (key && !keyMatches(request, key)) {
      return send(response, 401, apiError("Incorrect or missing API key (Authorization: Bearer <key>).", "invalid_request_error", null, "invalid_api_key"));
    }
    const path = new URL(request.url ?? "/", "http://localhost").pathname.replace(/\/+$/, "");
    if (request.method === "GET" && path === "/v1/models") return send(response, 200, listModels(options.library));
    if (request.method === "POST" && path === "/v1/chat/completions") {
      return chatCompletion(parse(chatCompletionRequestSchema, await readBody(request, options.maxBodyBytes ?? MAX_BODY)), response);
    }
    if (request.method === "POST" && path === "/v1/completions") {
      return completion(parse(completionRequestSchema, await readBody(request, options.maxBodyBytes ?? MAX_BODY)), response);
    }
    if (request.method === "POST" && path === "/v1/embeddings")
      return embeddings(parse(embeddingsRequestSchema, await readBody(request, options.maxBodyBytes ?? MAX_BODY)), response);
    send(response, 404, apiError(`No route ${request.method} ${path}.`, "invalid_request_error", null, "unknown_url"));
  }

  async function chatCompletion(body: ChatCompletionRequest, response: ServerResponse): Promise<void> {
    const model = modelFor(options.library, body.model);
    const system = body.messages.filter((m) => m.role === "system" || m.role === "developer").map((m) => messageText(m.content));
    const history = historyOf(body.messages);
    if (history.length === 0) throw new HearthError("INVALID_INPUT", "messages holds no user message.");
    const tools = toolsOf(body);
    const sampling = samplingOf(body);
    const jsonSchema = jsonSchemaOf(body.response_format);
    const id = `chatcmpl-${randomUUID()}`;
    const created = Math.floor(Date.now() / 1000);
    const stream = body.stream === true;
    const chunk = (delta: Record<string, unknown>, finish: string | null) => ({
      id,
      object: "chat.completion.chunk",
      created,
      model: model.id,
      choices: [{ index: 0, delta, finish_reason: finish }],
    });

    await serveReply(response, model.id, stream, {
      begin: (engine, onChunk) =>
        engine.chat({ history, sampling, systemPrompt: system.length ? system.join("\n\n") : null, overflow: "error", jsonSchema, ...tools }, { onChunk }),
      opening: chunk({ role: "assistant", content: "" }, null),
      event: (delta, segment, finish) => chunk(delta === null ? {} : segment === "thought" ? { reasoning_content: delta } : { content: delta }, finish),
      toolCallsEvent: (calls) => chunk({ tool_calls: calls.map((call, index) => ({ index, ...call })) }, null),
      usageEvent: (usage, hearth) =>
        body.stream_options?.include_usage ? { id, object: "chat.completion.chunk", created, model: model.id, choices: [], usage, hearth } : null,
      whole: (text, reasoning, finish, usage, hearth, calls) => ({
        id,
        object: "chat.completion",
        created,
        model: model.id,
        choices: [
          {
            index: 0,
            message: {
              role: "assistant",
              content: calls.length && !text ? null : text,
              ...(reasoning ? { reasoning_content: reasoning } : {}),
              ...(calls.length ? { tool_calls: calls } : {}),
            },
            finish_reason: finish,
          },
        ],
        usage,
        hearth,
      }),
    });
  }

  async function completion(body: CompletionRequest, response: ServerResponse): Promise<void> {
    const model = modelFor(options.library, body.model);
    const prompt = Array.isArray(body.prompt) ? body.prompt : [body.prompt];
    if (prompt.length !== 1) throw new HearthError("INVALID_INPUT", "prompt must be one text: Hearth completes one prompt per request.");
    const jsonSchema = jsonSchemaOf(body.response_format);
    const id = `cmpl-${randomUUID()}`;
    const created = Math.floor(Date.now() / 1000);
    const choice = (text: string, finish: string | null) => ({ index: 0, text, logprobs: null, finish_reason: finish });
    await serveReply(response, model.id, body.stream === true, {
      begin: (engine, onChunk) => engine.complete({ prompt: prompt[0]!, sampling: samplingOf(body), jsonSchema }, { onChunk }),
      opening: null,
      event: (delta, _segment, finish) => ({ id, object: "text_completion", created, model: model.id, choices: [choice(delta ?? "", finish)] }),
      usageEvent: (usage, hearth) =>
        body.stream_options?.include_usage ? { id, object: "text_completion", created, model: model.id, choices: [], usage, hearth } : null,
      whole: (text, _reasoning, finish, usage, hearth) => ({
        id,
        object: "text_completion",
        created,
        model: model.id,
        choices: [choice(text, finish)],
        usage,
        hearth,
      }),
    });
  }

  /**
   * One reply served once its model's turn comes: streamed as server-sent events (then a finish
   * event, the usage if asked, [DONE]) or whole; counted in the log; stopped when the client goes.
   */
  async function serveReply(response: ServerResponse, modelId: string, stream: boolean, shape: ReplyShape): Promise<void> {
    notes.set(response, { model: modelId });
    await api.run(
      modelId,
      async (engine) => {
        // Gone while it waited: nothing to answer.
        if (response.destroyed) return;
        const started = performance.now();
        let firstAt: number | null = null;
        let text = "";
        let reasoning = "";
        if (stream) {
          response.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
          if (shape.opening) event(response, shape.opening);
        }
        const reply = shape.begin(engine, (delta, segment) => {
          firstAt ??= performance.now();
          if (segment === "thought") reasoning += delta;
          else text += delta;
          if (stream) event(response, shape.event(delta, segment, null));
        });
        // A client that goes away stops its reply at once, which frees the engine for the next.
        const stop = () => engine.abort(reply.id);
        response.on("close", stop);
        try {
          const result = await reply.result;
          const tokensPerSecond = (() => {
            const s = result.firstTokenMs !== null && result.lastTokenMs !== null ? (result.lastTokenMs - result.firstTokenMs) / 1000 : 0;
            return s > 0 && result.completionTokens > 1 ? (result.completionTokens - 1) / s : null;
          })();
          notes.set(response, {
            model: modelId,
            promptTokens: result.promptTokens,
            completionTokens: result.completionTokens,
            tokensPerSecond,
            stopReason: result.stopReason,
          });
          const calls = toolCallsOut(result.toolCalls ?? []);
          const finish = calls.length ? "tool_calls" : finishReason(result.stopReason);
          const usage = {
            prompt_tokens: result.promptTokens,
            completion_tokens: result.completionTokens,
            total_tokens: result.promptTokens + result.completionTokens,
          };
          const hearth = {
            time_to_first_token_ms: firstAt === null ? null : Math.round(firstAt - started),
            tokens_per_second: tokensPerSecond,
            stop_reason: result.stopReason,
          };
          if (stream) {
            if (calls.length && shape.toolCallsEvent) event(response, shape.toolCallsEvent(calls));
            event(response, shape.event(null, "answer", finish));
            const usageEvent = shape.usageEvent(usage, hearth);
            if (usageEvent) event(response, usageEvent);
            response.end("data: [DONE]\n\n");
          } else {
            send(response, 200, shape.whole(text, reasoning, finish, usage, hearth, calls));
          }
        } catch (error) {
          if (!stream) throw error;
          // Headers are gone: the error travels as the stream's last event, in the same shape.
          if (!response.writableEnded) {
            event(response, errorBody(error).body);
            response.end("data: [DONE]\n\n");
          }
        } finally {
          response.off("close", stop);
        }
      },
      clientGone(response),
    );
  }

  async function embeddings(body: EmbeddingsRequest, response: ServerResponse): Promise<void> {
    const model = modelFor(options.library, body.model);
    const inputs = typeof body.input === "string" ? [body.input] : body.input;
    const vectors = await api.run(
      model.id,
      async (engine) => {
        const tokens = (await Promise.all(inputs.map((input) => engine.tokenize(input)))).reduce((sum, t) => sum + t.length, 0);
        return { ...(await engine.embedBatch(inputs)), tokens };
      },
      clientGone(response),
    );
    send(response, 200, {
      object: "list",
      model: model.id,
      data: vectors.vectors.map((vector, index) => ({
        object: "embedding",
        index,
        embedding: body.encoding_format === "base64" ? Buffer.from(Float32Array.from(vector).buffer).toString("base64") : vector,
      })),
      usage: { prompt_tokens: vectors.tokens, total_tokens: vectors.tokens },
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  hosts = allowedHostHeaders({ host, allowHosts: options.allowHosts }, port);
  return {
    url: `${options.tls ? "https" : "http"}://${displayHost(host)}:${port}/v1`,
    port,
    api,
    log,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await api.dispose();
    },
  };
}

function listModels(library: ModelLibrary) {
  return {
    object: "list",
    data: library.list().map((m) => ({ id: m.id, object: "model", created: Math.floor(m.addedAt / 1000), owned_by: "local", name: m.name })),
  };
}

function modelFor(library: ModelLibrary, id: string) {
  const model = library.find(id);
  if (!model) throw new ApiError(404, apiError(`The model \`${id}\` does not exist in Hearth's library.`, "invalid_request_error", "model", "model_not_found"));
  return model;
}

function finishReason(reason: StopReason): "stop" | "length" {
  return reason === "maxTokens" || reason === "contextFull" ? "length" : "stop";
}

/** An error already in OpenAI's shape, with its status. */
class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ReturnType<typeof apiError>,
  ) {
    super(body.error.message);
  }
}

function apiError(message: string, type: string, param: string | null = null, code: string | null = null) {
  return { error: { message, type, param, code } };
}

const STATUS: Record<string, [number, string, string | null]> = {
  INVALID_INPUT: [400, "invalid_request_error", null],
  CONTEXT_OVERFLOW: [400, "invalid_request_error", "context_length_exceeded"],
  NOT_FOUND: [404, "invalid_request_error", null],
  ENGINE_BUSY: [429, "rate_limit_error", "busy"],
  OUT_OF_MEMORY: [503, "server_error", "insufficient_memory"],
  MODEL_FILE_MISSING: [404, "invalid_request_error", "model_not_found"],
};

function errorBody(error: unknown): { status: number; body: ReturnType<typeof apiError> } {
  if (error instanceof ApiError) return { status: error.status, body: error.body };
  const data = toErrorData(error);
  const [status, type, code] = STATUS[data.code] ?? [500, "server_error", null];
  return { status, body: apiError(data.suggestion ? `${data.message} ${data.suggestion}` : data.message, type, null, code ?? data.code.toLowerCase()) };
}

/** An origin as browsers send it: scheme, host and port, lower case, no trailing slash. */
function normalOrigin(origin: string): string {
  return origin.trim().toLowerCase().replace(/\/+$/, "");
}

/** Aborts when the client goes away before its answer is whole (it then leaves the queue it waits in). */
function clientGone(response: ServerResponse): AbortSignal {
  const gone = new AbortController();
  response.once("close", () => {
    if (!response.writableFinished) gone.abort();
  });
  return gone.signal;
}

function fail(response: ServerResponse, error: unknown): void {
  if (response.headersSent) return void response.end();
  // Nobody to answer: the log keeps nginx's "client closed request".
  if (response.destroyed) {
    response.statusCode = 499;
    return;
  }
  const { status, body } = errorBody(error);
  send(response, status, body, status === 429 ? { "retry-after": String(RETRY_AFTER_S) } : {});
}

function send(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { "content-type": "application/json", ...headers });
  response.end(JSON.stringify(body));
}

function event(response: ServerResponse, data: unknown): void {
  if (!response.writableEnded) response.write(`data: ${JSON.stringify(data)}\n\n`);
}

function parse<S extends z.ZodType>(schema: S, raw: string): z.infer<S> {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new ApiError(400, apiError("The request body is not valid JSON.", "invalid_request_error"));
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const param = issue.path.join(".") || null;
    throw new ApiError(400, apiError(`${param ? `${param}: ` : ""}${issue.message}`, "invalid_request_error", param));
  }
  return parsed.data;
}

async function readBody(request: IncomingMessage, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new ApiError(413, apiError(`The request body is larger than ${limit} bytes.`, "invalid_request_error"));
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function keyMatches(request: IncomingMessage, key: string): boolean {
  const given = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? "")?.[1];
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(key);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** How one kind of reply (chat, completion) is written: its events, its whole answer. */
interface ReplyShape {
  begin(engine: EngineHost, onChunk: (delta: string, segment: "answer" | "thought") => void): { id: string; result: Promise<ChatResult> };
  /** The stream's first event, before any text (chat's role), or null. */
  opening: unknown;
  /** A delta's event; `delta` null for the closing one with the finish reason. */
  event(delta: string | null, segment: "answer" | "thought", finish: string | null): unknown;
  /** The calls a reply made, as one event before the finish (chat only). */
  toolCallsEvent?(calls: ReturnType<typeof toolCallsOut>): unknown;
  usageEvent(usage: Usage, hearth: unknown): unknown;
  whole(text: string, reasoning: string, finish: string, usage: Usage, hearth: unknown, calls: ReturnType<typeof toolCallsOut>): unknown;
}

interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

/** The sampling an OpenAI request asks for, over Hearth's defaults. */
function samplingOf(
  body: Pick<ChatCompletionRequest, "max_tokens" | "temperature" | "top_p" | "seed" | "stop"> & { max_completion_tokens?: number | null },
): SamplingSettings {
  return {
    ...defaultSampling,
    maxTokens: body.max_completion_tokens ?? body.max_tokens ?? defaultSampling.maxTokens,
    ...(body.temperature != null ? { temperature: body.temperature } : {}),
    ...(body.top_p != null ? { topP: body.top_p } : {}),
    ...(body.seed != null ? { seed: body.seed >>> 0 } : {}),
    ...(body.stop != null ? { stop: (Array.isArray(body.stop) ? body.stop : [body.stop]).filter(Boolean) } : {}),
  };
}

/** The JSON schema a `response_format` asks the reply to follow (enforced by grammar), if any. */
function jsonSchemaOf(format: ChatCompletionRequest["response_format"]): Record<string, unknown> | undefined {
  if (format?.type === "json_schema") return format.json_schema.schema ?? { type: "object" };
  return format?.type === "json_object" ? { type: "object" } : undefined;
}
