import OpenAI from "openai";
import { spawn } from "node:child_process";
import fs from "node:fs";
import https from "node:https";
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
  server = await startOpenAiServer({ library: core.library, port: 0, apiKey: "sk-test-key", slots: 2, maxQueue: 1, idleMs: 0, backend: "cpu" });
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

  it("calls tools: a call the model must make comes back as tool_calls with arguments that follow the schema, whole and streamed; the answer goes back into the conversation", async () => {
    const tools = [
      {
        type: "function" as const,
        function: {
          name: "get_weather",
          description: "The weather in a city today",
          parameters: { type: "object", properties: { city: { enum: ["Paris", "Rome"] } }, required: ["city"] },
        },
      },
      { type: "function" as const, function: { name: "get_time", description: "The time now" } },
    ];
    const question = { role: "user" as const, content: "What is the weather in Paris?" };
    const ask = { model, messages: [question], tools, max_tokens: 300, temperature: 0 };
    const reply = await client.chat.completions.create({ ...ask, tool_choice: "required" });
    const choice = reply.choices[0]!;
    expect(choice.finish_reason).toBe("tool_calls");
    expect(choice.message.content).toBeNull();
    const call = choice.message.tool_calls![0]!;
    expect(call.type).toBe("function");
    if (call.type !== "function") return;
    expect(["get_weather", "get_time"]).toContain(call.function.name);

    // Named, streamed: that function, its arguments held to the schema by grammar.
    const stream = await client.chat.completions.create({ ...ask, tool_choice: { type: "function", function: { name: "get_weather" } }, stream: true });
    const streamed: { id?: string; function?: { name?: string; arguments?: string } }[] = [];
    let finish: string | null = null;
    for await (const part of stream) {
      streamed.push(...(part.choices[0]?.delta.tool_calls ?? []));
      finish = part.choices[0]?.finish_reason ?? finish;
    }
    expect(finish).toBe("tool_calls");
    expect(streamed).toHaveLength(1);
    expect(streamed[0]!.function!.name).toBe("get_weather");
    expect(["Paris", "Rome"]).toContain((JSON.parse(streamed[0]!.function!.arguments!) as { city: string }).city);

    // The caller answers; the answer is in the prompt the model reads next (a longer one costs more tokens).
    const answered = (result: string) =>
      client.chat.completions.create({
        model,
        tools,
        max_tokens: 4,
        messages: [
          question,
          {
            role: "assistant",
            content: null,
            tool_calls: [{ id: streamed[0]!.id!, type: "function", function: { name: "get_weather", arguments: streamed[0]!.function!.arguments! } }],
          },
          { role: "tool", tool_call_id: streamed[0]!.id!, content: result },
        ],
      });
    const short = await answered('{"celsius":21}');
    const long = await answered('{"celsius":21,"sky":"clear with a light wind from the west and no rain expected before the evening"}');
    expect(long.usage!.prompt_tokens).toBeGreaterThan(short.usage!.prompt_tokens + 20);

    // A call left unanswered is refused in OpenAI's shape.
    await expect(
      client.chat.completions.create({
        model,
        tools,
        messages: [
          question,
          { role: "assistant", content: null, tool_calls: [{ id: "x", type: "function", function: { name: "get_time", arguments: "{}" } }] },
        ],
      }),
    ).rejects.toMatchObject({ status: 400, message: expect.stringContaining("tool call x has no tool message") });
  }, 120_000);

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

  it("listens beyond this machine only when asked, with a strong key, over TLS (or said trusted); lets listed web origins in", async () => {
    const base = { library: core.library, port: 0, slots: 1, maxQueue: 0, idleMs: 0, backend: "cpu" as const, host: "0.0.0.0" };
    const strong = "sk-hearth-0123456789abcdefghijklmnopqrstuv";
    await expect(startOpenAiServer({ ...base, apiKey: strong, insecureHttp: true })).rejects.toMatchObject({ message: /expose Hearth/ });
    await expect(startOpenAiServer({ ...base, allowRemote: true, apiKey: null, insecureHttp: true })).rejects.toMatchObject({ message: /API key is required/ });
    await expect(startOpenAiServer({ ...base, allowRemote: true, apiKey: "sk-123", insecureHttp: true })).rejects.toMatchObject({ message: /too weak/ });
    await expect(startOpenAiServer({ ...base, allowRemote: true, apiKey: strong })).rejects.toMatchObject({ message: /needs TLS/ });

    const tlsDir = path.join(__dirname, "../support/tls");
    const tls = { cert: path.join(tlsDir, "localhost-cert.pem"), key: path.join(tlsDir, "localhost-key.pem") };
    let key: string | null = strong;
    const remote = await startOpenAiServer({ ...base, allowRemote: true, apiKey: () => key, tls, corsOrigins: ["https://app.example"] });
    try {
      const url = new URL(remote.url);
      expect(url.protocol).toBe("https:");
      const get = (headers: Record<string, string>, method = "GET") =>
        new Promise<{ status: number; allowOrigin: unknown }>((resolve, reject) => {
          https
            .request(
              {
                method,
                host: "127.0.0.1",
                port: url.port,
                path: "/v1/models",
                ca: fs.readFileSync(tls.cert),
                headers: { host: `127.0.0.1:${url.port}`, ...headers },
              },
              (res) => {
                res.resume();
                resolve({ status: res.statusCode ?? 0, allowOrigin: res.headers["access-control-allow-origin"] });
              },
            )
            .on("error", reject)
            .end();
        });
      expect((await get({ authorization: `Bearer ${strong}` })).status).toBe(200);
      expect((await get({})).status).toBe(401);
      // A listed origin's page may ask (its preflight answered), another's may not.
      expect(await get({ origin: "https://app.example", "access-control-request-method": "POST" }, "OPTIONS")).toEqual({
        status: 204,
        allowOrigin: "https://app.example",
      });
      expect(await get({ origin: "https://app.example", authorization: `Bearer ${strong}` })).toEqual({ status: 200, allowOrigin: "https://app.example" });
      expect((await get({ origin: "https://evil.example", authorization: `Bearer ${strong}` })).status).toBe(403);
      // The key revoked while it runs: nobody gets in, rather than everybody.
      key = null;
      expect((await get({})).status).toBe(401);
    } finally {
      await remote.close();
    }
  });

  it("serves as many replies at once as it has slots, each as it would be alone", async () => {
    const ask = (content: string) => ({ model, messages: [{ role: "user" as const, content }], max_tokens: 48, temperature: 0 });
    const alone: (string | null)[] = [];
    for (const content of ["Once upon a time", "The little dog"]) alone.push((await client.chat.completions.create(ask(content))).choices[0]!.message.content);
    // Both stream at once: each has its first text before the other is done.
    const firstTexts: number[] = [];
    const ends: number[] = [];
    const together = await Promise.all(
      ["Once upon a time", "The little dog"].map(async (content) => {
        let text = "";
        for await (const part of await client.chat.completions.create({ ...ask(content), stream: true })) {
          if (text === "" && part.choices[0]?.delta.content) firstTexts.push(performance.now());
          text += part.choices[0]?.delta.content ?? "";
        }
        ends.push(performance.now());
        return text;
      }),
    );
    expect(Math.max(...firstTexts)).toBeLessThan(Math.min(...ends));
    expect(together).toEqual(alone);
  }, 60_000);

  it("past the slots and the queue a request gets 429 with Retry-After; a client that goes away frees its slot at once", async () => {
    const long = { model, messages: [{ role: "user" as const, content: "Once upon a time" }], max_tokens: 2000 };
    const controller = new AbortController();
    const streams = await Promise.all([0, 1].map(() => client.chat.completions.create({ ...long, stream: true }, { signal: controller.signal })));
    await Promise.all(streams.map((stream) => stream[Symbol.asyncIterator]().next()));
    // A waiting client that gives up leaves the queue at once, and its place is free again.
    const impatient = new AbortController();
    const gaveUp = fetch(`${server.url}/chat/completions`, {
      method: "POST",
      headers: { authorization: "Bearer sk-test-key", "content-type": "application/json" },
      body: JSON.stringify({ model, messages: [{ role: "user", content: "Ann" }], max_tokens: 4 }),
      signal: impatient.signal,
    }).catch(() => "gave up");
    await expect.poll(() => server.api.load).toEqual({ running: 2, slots: 2, waiting: 1 });
    impatient.abort();
    expect(await gaveUp).toBe("gave up");
    await expect.poll(() => server.api.load).toEqual({ running: 2, slots: 2, waiting: 0 });

    // Two run (the slots), one waits (the queue holds one), the fourth is refused.
    const waiting = client.chat.completions.create({ model, messages: [{ role: "user", content: "Tim" }], max_tokens: 4 });
    await expect.poll(() => server.api.load).toEqual({ running: 2, slots: 2, waiting: 1 });
    const refused = await fetch(`${server.url}/chat/completions`, {
      method: "POST",
      headers: { authorization: "Bearer sk-test-key", "content-type": "application/json" },
      body: JSON.stringify({ model, messages: [{ role: "user", content: "Sam" }], max_tokens: 4 }),
    });
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("2");
    expect(((await refused.json()) as { error: { type: string } }).error.type).toBe("rate_limit_error");

    // The streaming clients disconnect: their replies stop there (the log shows them cut short), and the waiting one runs.
    controller.abort();
    const next = await waiting;
    expect(next.choices[0]!.finish_reason).toBe("length");
    const cut = server.log.find((entry) => entry.stopReason === "aborted");
    expect(cut).toMatchObject({ model, path: "/v1/chat/completions" });
    expect(cut!.completionTokens!).toBeLessThan(2000);
    await expect.poll(() => server.api.load).toEqual({ running: 0, slots: 2, waiting: 0 });
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
