import { createParser } from "eventsource-parser";
import { performance } from "node:perf_hooks";
import { z } from "zod";
import type { StopReason } from "../../shared/contract";
import { HearthError } from "../../shared/errors";
import type { ChatHandlers } from "../engine/EngineHost";
import type { ChatRequest, ChatResult } from "../engine/protocol";
import type { Outbound } from "../network/Outbound";
import type { RemoteTarget } from "./RemoteEngines";

/** The largest error answer read from a remote engine. */
const MAX_ERROR_BYTES = 64 * 1024;

const chunkSchema = z.object({
  choices: z
    .array(
      z.object({
        delta: z.object({ content: z.string().nullish(), reasoning_content: z.string().nullish(), reasoning: z.string().nullish() }).partial().nullish(),
        finish_reason: z.string().nullish(),
      }),
    )
    .nullish(),
  usage: z.object({ prompt_tokens: z.number().nullish(), completion_tokens: z.number().nullish() }).nullish(),
  error: z.object({ message: z.string(), type: z.string().nullish(), code: z.string().nullish() }).partial().nullish(),
});

/** An error as OpenAI-compatible servers send it, whole or as a stream's last event. */
type ServerError = { message?: string; type?: string | null; code?: string | null };

/**
 * One reply from a remote OpenAI-compatible engine, streamed (`/chat/completions`, SSE) through
 * the one door out (logged, refused when offline). Text arrives as chunks, as from the local
 * engine; times are taken here, on Hearth's clock, so a remote reply's first-token time and speed
 * mean what a person waiting sees. Aborting the signal hangs up, which stops the server's work.
 */
export async function remoteChat(
  outbound: Outbound,
  target: RemoteTarget,
  request: ChatRequest,
  handlers: ChatHandlers,
  signal: AbortSignal,
): Promise<ChatResult> {
  if (request.continueFrom !== undefined) {
    throw new HearthError("INVALID_INPUT", "A remote model cannot write on from a reply: the OpenAI API has no way to ask it.", {
      suggestion: "Regenerate the reply instead, or continue it with a local model.",
    });
  }
  const started = performance.now();
  const { sampling } = request;
  const body = {
    model: target.model,
    messages: [
      ...(request.systemPrompt ? [{ role: "system", content: request.systemPrompt }] : []),
      ...request.history.map((item) => ({ role: item.role, content: item.text })),
    ],
    stream: true,
    stream_options: { include_usage: true },
    ...(sampling.maxTokens !== undefined ? { max_tokens: sampling.maxTokens } : {}),
    ...(sampling.temperature !== undefined ? { temperature: sampling.temperature } : {}),
    ...(sampling.topP !== undefined ? { top_p: sampling.topP } : {}),
    ...(sampling.seed !== undefined ? { seed: sampling.seed } : {}),
    ...(sampling.stop?.length ? { stop: sampling.stop.slice(0, 4) } : {}),
    ...(request.jsonSchema ? { response_format: { type: "json_schema", json_schema: { name: "answer", schema: request.jsonSchema, strict: true } } } : {}),
  };
  const host = new URL(target.baseUrl).host;
  const response = await outbound.openStream(`${target.baseUrl}/chat/completions`, {
    purpose: "remote engine",
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: "text/event-stream",
      ...(target.key ? { authorization: `Bearer ${target.key}` } : {}),
    },
    body: JSON.stringify(body),
    signal,
  });
  let bytes = 0;
  try {
    if (response.status !== 200) throw await refusal(response.body, response.status, host, target.model);
    let firstTokenMs: number | null = null;
    let lastTokenMs: number | null = null;
    let counted = 0;
    let finish: string | null = null;
    let usage: { prompt: number | null; completion: number | null } = { prompt: null, completion: null };
    let failure: HearthError | null = null;
    const parser = createParser({
      onEvent: ({ data }) => {
        if (data === "[DONE]" || failure) return;
        const parsed = chunkSchema.safeParse(safeJson(data));
        if (!parsed.success) return;
        const chunk = parsed.data;
        if (chunk.error) {
          failure = remoteFailure(host, null, chunk.error, target.model);
          return;
        }
        if (chunk.usage) usage = { prompt: chunk.usage.prompt_tokens ?? null, completion: chunk.usage.completion_tokens ?? null };
        for (const choice of chunk.choices ?? []) {
          const thought = choice.delta?.reasoning_content ?? choice.delta?.reasoning;
          const text = choice.delta?.content;
          for (const [delta, segment] of [
            [thought, "thought"],
            [text, "answer"],
          ] as const) {
            if (!delta) continue;
            const now = performance.now() - started;
            firstTokenMs ??= now;
            lastTokenMs = now;
            counted++;
            handlers.onChunk?.(delta, segment, 1);
          }
          if (choice.finish_reason) finish = choice.finish_reason;
        }
      },
    });
    const decoder = new TextDecoder();
    for await (const piece of response.body as AsyncIterable<Buffer>) {
      bytes += piece.byteLength;
      parser.feed(decoder.decode(piece, { stream: true }));
      if (failure) throw failure;
    }
    if (failure) throw failure;
    if (finish === null) throw new HearthError("NETWORK", `${host} ended the reply before it was finished.`, { suggestion: "Send it again." });
    const completionTokens = usage.completion ?? counted;
    return {
      promptTokens: usage.prompt ?? 0,
      evaluatedPromptTokens: usage.prompt ?? 0,
      completionTokens,
      firstTokenMs,
      lastTokenMs,
      engineMs: performance.now() - started,
      stopReason: stopReasonOf(finish),
      droppedMessages: 0,
      contextSize: 0,
    };
  } catch (error) {
    response.body.destroy();
    if (signal.aborted) throw new HearthError("ABORTED", "Stopped.");
    throw error;
  } finally {
    response.finish({ bytes });
  }
}

function stopReasonOf(finish: string): StopReason {
  if (finish === "length") return "maxTokens";
  return "eos";
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** A refusal's error in words: the server's own message (OpenAI's error shape) where it gave one. */
async function refusal(body: AsyncIterable<Buffer>, status: number, host: string, model: string): Promise<HearthError> {
  let text = "";
  for await (const piece of body) {
    text += piece.toString("utf8");
    if (text.length > MAX_ERROR_BYTES) break;
  }
  const said = z.object({ error: z.union([chunkSchema.shape.error.unwrap().unwrap(), z.string()]) }).safeParse(safeJson(text));
  const error = said.success ? (typeof said.data.error === "string" ? { message: said.data.error } : said.data.error) : {};
  return remoteFailure(host, status, error, model);
}

/**
 * What a remote engine's error means here: by HTTP status, else by OpenAI's error code and type,
 * with the server's own words (a stream's error event has no status).
 */
export function remoteFailure(host: string, status: number | null, error: ServerError, model: string): HearthError {
  const reason = error.message?.trim().replace(/\.+$/, "");
  const message = `${host} refused the reply${status ? ` (HTTP ${status})` : ""}${reason ? `: ${reason}.` : "."}`;
  if (status === 401 || status === 403) return new HearthError("UNAUTHORIZED", message, { suggestion: "Check the remote engine's key in Settings." });
  if (status === 404 || error.code === "model_not_found")
    return new HearthError("NOT_FOUND", message, { suggestion: `Check that ${host} still serves ${model}.` });
  if (status === 429 || status === 503 || error.type === "rate_limit_error") {
    return new HearthError("ENGINE_BUSY", message, { suggestion: "The server is busy; send it again in a moment." });
  }
  if (error.code === "context_length_exceeded") {
    return new HearthError("CONTEXT_OVERFLOW", message, { suggestion: "Start a new conversation, or shorten the message." });
  }
  if (status === 400 || error.type === "invalid_request_error") return new HearthError("INVALID_INPUT", message, { suggestion: "" });
  return new HearthError("NETWORK", message, { suggestion: `The server at ${host} failed; try again, or check its log.` });
}
