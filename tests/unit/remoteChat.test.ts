import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCore, type Core } from "../../electron/core/createCore";
import { remoteChat } from "../../electron/core/remote/remoteChat";
import type { ChatRequest } from "../../electron/core/engine/protocol";
import { tempDir } from "../support/tempDir";

// Other servers' ways of answering (llama-server's reasoning_content, errors as a stream's last
// event, plain refusals), played by a small local server: what Hearth does with each.
let answer: (response: http.ServerResponse, body: Record<string, unknown>) => void = () => undefined;
let lastBody: Record<string, unknown> = {};
const server = http.createServer((request, response) => {
  let text = "";
  request.on("data", (chunk) => {
    text += chunk;
  });
  request.on("end", () => {
    lastBody = JSON.parse(text) as Record<string, unknown>;
    answer(response, lastBody);
  });
});
let core: Core;
let baseUrl: string;

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  core = createCore({ dataDir: tempDir("hearth-remote-chat-"), keychain: null });
});
afterAll(async () => {
  await core.close();
  server.close();
});

const request: ChatRequest = {
  history: [{ role: "user", text: "Why is the sky blue?" }],
  sampling: { maxTokens: 50, temperature: 0.5, topK: 40, seed: 7, stop: ["\n\n"] },
  systemPrompt: "Be brief.",
  overflow: "dropOldest",
};

function sse(response: http.ServerResponse, events: unknown[]): void {
  response.writeHead(200, { "content-type": "text/event-stream" });
  for (const event of events) response.write(`data: ${typeof event === "string" ? event : JSON.stringify(event)}\n\n`);
  response.end();
}

function run(chat: ChatRequest = request) {
  const chunks: [string, string][] = [];
  const result = remoteChat(
    core.outbound,
    { engineId: "e", engineName: "box", baseUrl, model: "qwen3", key: "sk-secret" },
    chat,
    { onChunk: (text, segment) => chunks.push([text, segment]) },
    new AbortController().signal,
  );
  return { chunks, result };
}

describe("a reply from a remote engine", () => {
  it("sends the system prompt, the history and the OpenAI sampling fields; thinking and answer arrive as their segments", async () => {
    answer = (response) =>
      sse(response, [
        { choices: [{ delta: { role: "assistant" } }] },
        { choices: [{ delta: { reasoning_content: "Light scatters." } }] },
        { choices: [{ delta: { content: "Rayleigh" } }] },
        { choices: [{ delta: { content: " scattering." }, finish_reason: "stop" }] },
        { choices: [], usage: { prompt_tokens: 21, completion_tokens: 9 } },
        "[DONE]",
      ]);
    const { chunks, result } = run();
    const reply = await result;
    expect(lastBody).toMatchObject({
      model: "qwen3",
      stream: true,
      max_tokens: 50,
      temperature: 0.5,
      seed: 7,
      stop: ["\n\n"],
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "Why is the sky blue?" },
      ],
    });
    expect(chunks).toEqual([
      ["Light scatters.", "thought"],
      ["Rayleigh", "answer"],
      [" scattering.", "answer"],
    ]);
    expect(reply).toMatchObject({ promptTokens: 21, completionTokens: 9, stopReason: "eos" });
    expect(reply.lastTokenMs!).toBeGreaterThanOrEqual(reply.firstTokenMs!);
  });

  it("counts the deltas when the server sends no usage, and reads finish_reason length as the token limit", async () => {
    answer = (response) =>
      sse(response, [{ choices: [{ delta: { content: "a" } }] }, { choices: [{ delta: { content: "b" }, finish_reason: "length" }] }, "[DONE]"]);
    await expect(run().result).resolves.toMatchObject({ completionTokens: 2, promptTokens: 0, stopReason: "maxTokens" });
  });

  it("a JSON schema goes as response_format", async () => {
    answer = (response) => sse(response, [{ choices: [{ delta: { content: "{}" }, finish_reason: "stop" }] }, "[DONE]"]);
    await run({ ...request, jsonSchema: { type: "object" } }).result;
    expect(lastBody.response_format).toEqual({ type: "json_schema", json_schema: { name: "answer", schema: { type: "object" }, strict: true } });
  });

  it("turns the server's refusals into Hearth's errors, in the server's words", async () => {
    answer = (response) => {
      response.writeHead(429, { "content-type": "application/json" });
      response.end(JSON.stringify({ error: { message: "Too many requests.", type: "rate_limit_error" } }));
    };
    await expect(run().result).rejects.toMatchObject({ code: "ENGINE_BUSY", message: expect.stringContaining("Too many requests.") });

    // Mid-stream: the error is the stream's last event, the text before it already shown.
    answer = (response) =>
      sse(response, [
        { choices: [{ delta: { content: "Once" } }] },
        { error: { message: "The conversation needs 5000 tokens.", type: "invalid_request_error", code: "context_length_exceeded" } },
      ]);
    const { chunks, result } = run();
    await expect(result).rejects.toMatchObject({ code: "CONTEXT_OVERFLOW", message: expect.stringContaining("needs 5000 tokens.") });
    expect(chunks).toEqual([["Once", "answer"]]);

    // A stream cut before its end is an error, not a short reply.
    answer = (response) => sse(response, [{ choices: [{ delta: { content: "Once" } }] }]);
    await expect(run().result).rejects.toMatchObject({ code: "NETWORK", message: expect.stringContaining("ended the reply before it was finished") });

    // A key the server refuses.
    answer = (response) => {
      response.writeHead(401);
      response.end("no");
    };
    await expect(run().result).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });

  it("Continue is refused in words (the API cannot ask a model to write on)", async () => {
    await expect(run({ ...request, continueFrom: "Once" }).result).rejects.toMatchObject({ code: "INVALID_INPUT" });
  });

  it("the key goes in the Authorization header, and the network log has the request without it", async () => {
    let authorization: string | undefined;
    answer = (response) => sse(response, [{ choices: [{ delta: { content: "x" }, finish_reason: "stop" }] }, "[DONE]"]);
    server.once("request", (incoming: http.IncomingMessage) => {
      authorization = incoming.headers.authorization;
    });
    await run().result;
    expect(authorization).toBe("Bearer sk-secret");
    const entry = core.networkLog.list()[0]!;
    expect(entry).toMatchObject({ purpose: "remote engine", method: "POST", path: "/v1/chat/completions", status: 200 });
    expect(JSON.stringify(core.networkLog.list())).not.toContain("sk-secret");
  });
});
