import OpenAI from "openai";
import { spawn } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCore, type Core } from "../../electron/core/createCore";
import { startOpenAiServer } from "../../electron/core/openai/OpenAiServer";
import { tempDir } from "../support/tempDir";
import { projectRoot, testModelPath } from "../support/testModel";

const dataDir = path.join(tempDir("hearth-api-"), "data");
let core: Core;
let server: Awaited<ReturnType<typeof startOpenAiServer>>;
let client: OpenAI;
let model: string;

beforeAll(async () => {
  core = createCore({ dataDir, backend: "cpu", keychain: null });
  model = (await core.library.import(testModelPath, "reference")).id;
  server = await startOpenAiServer({ library: core.library, port: 0, apiKey: "sk-test-key", maxQueue: 1, idleMs: 0, backend: "cpu" });
  client = new OpenAI({ baseURL: server.url, apiKey: "sk-test-key", maxRetries: 0 });
}, 60_000);

afterAll(async () => {
  await server.close();
  await core.close();
});

describe("the OpenAI-compatible API, with the official openai client", () => {
  it("lists the library's models by id", async () => {
    const list = await client.models.list();
    expect(list.data.map((m) => m.id)).toEqual([model]);
  });

  it("answers a chat completion whole, with usage and Hearth's timing", async () => {
    const reply = await client.chat.completions.create({ model, messages: [{ role: "user", content: "Once upon a time" }], max_tokens: 12, seed: 3 });
    expect(reply.object).toBe("chat.completion");
    expect(reply.choices[0]!.message.content!.length).toBeGreaterThan(0);
    expect(reply.choices[0]!.finish_reason).toBe("length");
    expect(reply.usage).toMatchObject({ completion_tokens: 12, prompt_tokens: expect.any(Number) });
    expect((reply as unknown as { hearth: { tokens_per_second: number } }).hearth.tokens_per_second).toBeGreaterThan(0);
  });

  it("streams a chat completion as server-sent events, the same text as whole, and stops at a stop sequence", async () => {
    const request = { model, messages: [{ role: "user" as const, content: "Once upon a time" }], max_tokens: 24, seed: 5, temperature: 0 };
    const whole = (await client.chat.completions.create(request)).choices[0]!.message.content!;
    const stream = await client.chat.completions.create({ ...request, stream: true, stream_options: { include_usage: true } });
    let text = "";
    let finish: string | null = null;
    let usage: unknown = null;
    for await (const part of stream) {
      text += part.choices[0]?.delta.content ?? "";
      finish = part.choices[0]?.finish_reason ?? finish;
      usage = part.usage ?? usage;
    }
    expect(text).toBe(whole);
    expect(finish).toBe("length");
    expect(usage).toMatchObject({ completion_tokens: 24 });

    // A stop sequence from inside that text ends the reply before it.
    const word = whole.trim().split(/\s+/)[2]!;
    const stopped = await client.chat.completions.create({ ...request, stop: [word] });
    expect(stopped.choices[0]!.finish_reason).toBe("stop");
    expect(stopped.choices[0]!.message.content).not.toContain(word);
  });

  it("completes a plain prompt (/v1/completions, no chat template): whole and streamed alike, with usage, stop sequences and a refusal for several prompts", async () => {
    const request = { model, prompt: "Once upon a time, there was a", max_tokens: 20, seed: 9, temperature: 0 };
    const whole = await client.completions.create(request);
    expect(whole.object).toBe("text_completion");
    expect(whole.choices[0]!.finish_reason).toBe("length");
    expect(whole.usage).toMatchObject({ completion_tokens: 20, prompt_tokens: expect.any(Number) });
    const text = whole.choices[0]!.text;
    expect(text.length).toBeGreaterThan(0);

    const stream = await client.completions.create({ ...request, stream: true, stream_options: { include_usage: true } });
    let streamed = "";
    let finish: string | null = null;
    for await (const part of stream) {
      streamed += part.choices[0]?.text ?? "";
      finish = part.choices[0]?.finish_reason ?? finish;
    }
    expect(streamed).toBe(text);
    expect(finish).toBe("length");

    const word = text.trim().split(/\s+/)[1]!;
    const stopped = await client.completions.create({ ...request, stop: [word] });
    expect(stopped.choices[0]!.finish_reason).toBe("stop");
    expect(stopped.choices[0]!.text).not.toContain(word);

    await expect(client.completions.create({ ...request, prompt: ["one", "two"] })).rejects.toMatchObject({ status: 400 });
    // A chat reply after a completion still answers (the chat finds its history again).
    const chat = await client.chat.completions.create({ model, messages: [{ role: "user", content: "Tim" }], max_tokens: 4 });
    expect(chat.choices[0]!.message.content!.length).toBeGreaterThan(0);
  });

  it("follows a JSON schema given as response_format (enforced by grammar)", async () => {
    const schema = {
      type: "object",
      // Bounded, so the whole object fits in max_tokens whatever the sampler picks.
      properties: { name: { type: "string", maxLength: 16 }, age: { type: "integer" } },
      required: ["name", "age"],
      additionalProperties: false,
    };
    const reply = await client.chat.completions.create({
      model,
      messages: [{ role: "user", content: "A girl named Lily" }],
      max_tokens: 60,
      seed: 11,
      response_format: { type: "json_schema", json_schema: { name: "person", schema, strict: true } },
    });
    const value = JSON.parse(reply.choices[0]!.message.content!) as { name: unknown; age: unknown };
    expect(typeof value.name).toBe("string");
    expect(Number.isInteger(value.age)).toBe(true);
  });

  it("embeds one text or several", async () => {
    const one = await client.embeddings.create({ model, input: "A cat sat on the mat." });
    expect(one.data).toHaveLength(1);
    expect(one.data[0]!.embedding.length).toBeGreaterThan(8);
    const two = await client.embeddings.create({ model, input: ["first", "second"] });
    expect(two.data.map((d) => d.index)).toEqual([0, 1]);
    expect(two.usage.prompt_tokens).toBeGreaterThan(0);
  });

  it("answers errors in OpenAI's shape: unknown model 404, bad body 400, wrong key 401", async () => {
    await expect(client.chat.completions.create({ model: "no-such-model", messages: [{ role: "user", content: "hi" }] })).rejects.toMatchObject({
      status: 404,
      code: "model_not_found",
      param: "model",
    });
    await expect(client.chat.completions.create({ model, messages: [] })).rejects.toMatchObject({ status: 400, type: "invalid_request_error" });
    const stranger = new OpenAI({ baseURL: server.url, apiKey: "sk-wrong", maxRetries: 0 });
    await expect(stranger.models.list()).rejects.toMatchObject({ status: 401, code: "invalid_api_key" });
    // A web page (an Origin header) gets nothing, nor a Host that is not this machine's.
    const page = await fetch(`${server.url}/models`, { headers: { authorization: "Bearer sk-test-key", origin: "https://evil.example" } });
    expect(page.status).toBe(403);
  });

  it("past the queue a request gets 429 with Retry-After; a client that goes away frees its slot at once", async () => {
    const long = { model, messages: [{ role: "user" as const, content: "Once upon a time" }], max_tokens: 2000 };
    const controller = new AbortController();
    const first = client.chat.completions.create({ ...long, stream: true }, { signal: controller.signal });
    const firstStream = await first;
    const reader = firstStream[Symbol.asyncIterator]();
    await reader.next();
    // One runs, one waits (the queue holds one), the third is refused.
    const waiting = client.chat.completions.create({ model, messages: [{ role: "user", content: "Tim" }], max_tokens: 4 });
    await expect.poll(() => server.api.load).toEqual({ running: true, waiting: 1 });
    const refused = await fetch(`${server.url}/chat/completions`, {
      method: "POST",
      headers: { authorization: "Bearer sk-test-key", "content-type": "application/json" },
      body: JSON.stringify({ model, messages: [{ role: "user", content: "Sam" }], max_tokens: 4 }),
    });
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("2");
    expect(((await refused.json()) as { error: { type: string } }).error.type).toBe("rate_limit_error");

    // The streaming client disconnects: its reply stops there (the log shows it cut short), and the waiting one runs.
    controller.abort();
    const next = await waiting;
    expect(next.choices[0]!.finish_reason).toBe("length");
    const cut = server.log.find((entry) => entry.stopReason === "aborted");
    expect(cut).toMatchObject({ model, path: "/v1/chat/completions" });
    expect(cut!.completionTokens!).toBeLessThan(2000);
    expect(server.api.load).toEqual({ running: false, waiting: 0 });
    // The log keeps counts and times, never the text.
    expect(JSON.stringify(server.log)).not.toContain("Once upon a time");
  }, 60_000);

  it("hearth serve --api prints the API's address, and serves the library there", async () => {
    const child = spawn(
      process.execPath,
      [path.join(projectRoot, "bin/hearth.mjs"), "--data-dir", dataDir, "serve", "--port", "0", "--api", "--api-port", "0"],
      {
        stdio: ["ignore", "pipe", "pipe"],
        env: { ...process.env, HEARTH_NO_KEYCHAIN: "1" },
      },
    );
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = "";
        child.stdout!.on("data", (chunk) => {
          out += chunk;
          const match = /Hearth API: (\S+)/.exec(out);
          if (match) resolve(match[1]!);
        });
        child.on("exit", (code) => reject(new Error(`hearth serve exited with ${code}`)));
      });
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
      const list = await new OpenAI({ baseURL: url, apiKey: "none", maxRetries: 0 }).models.list();
      expect(list.data.map((m) => m.id)).toEqual([model]);
    } finally {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    }
  }, 60_000);
});
