import { afterAll, beforeAll, describe, expect, it } from "vitest";
import path from "node:path";
import { calls, type ChatPacket, type CallInput } from "../../electron/shared/contract";
import { MAX_MESSAGE_CHARS } from "../../electron/shared/limits";
import { createCore, type Core } from "../../electron/core/createCore";
import { loadLibraryModel } from "../../electron/core/engine/loadLibraryModel";
import { tempDir } from "../support/tempDir";
import { testModelPath } from "../support/testModel";

let core: Core;
let modelId: string;
const packets: ChatPacket[] = [];

// Greedy decoding with a fixed seed: the same prompt gives the same reply on every run.
const send = (input: CallInput<"chat.send">) => core.chat.send(calls["chat.send"].input.parse(input));
const packetsOf = (requestId: string) => packets.filter((p) => p.requestId === requestId);
const firstToken = (requestId: string) =>
  new Promise<void>((resolve) => {
    const off = core.chat.onPacket((p) => {
      if (p.requestId === requestId && p.type === "token") {
        off();
        resolve();
      }
    });
  });

beforeAll(async () => {
  core = createCore({ dataDir: path.join(tempDir(), "data"), backend: "cpu" });
  core.chat.onPacket((p) => packets.push(p));
  modelId = (await core.library.import(testModelPath, "reference")).id;
  await loadLibraryModel(core.engine, core.library, modelId, { threads: 1 });
});

afterAll(() => core.close());

describe("chat with the real engine", () => {
  it("streams a real reply, stores it with its stats, and reads it back", async () => {
    const started = await send({ text: "Once upon a time", sampling: { maxTokens: 40, seed: 7 } });
    const { message, error } = await core.chat.wait(started.requestId);
    expect(error).toBeNull();

    const tokens = packetsOf(started.requestId).filter((p) => p.type === "token");
    expect(tokens.length).toBeGreaterThan(1);
    expect(tokens.map((p) => (p.type === "token" ? p.text : "")).join("")).toBe(message.content);
    expect(message.content.trim().length).toBeGreaterThan(0);

    const stored = core.conversations.getMessage(started.assistantMessageId);
    expect(stored).toMatchObject({
      status: "complete",
      role: "assistant",
      modelId,
      content: message.content,
      stopReason: expect.stringMatching(/^(eos|maxTokens)$/),
      loadSettings: expect.objectContaining({ threads: 1, contextSize: 2048 }),
      sampling: expect.objectContaining({ maxTokens: 40, seed: 7, temperature: 0.8 }),
    });
    expect(stored.completionTokens).toBeGreaterThan(1);
    expect(stored.completionTokens).toBeLessThanOrEqual(40);
    expect(stored.promptTokens).toBeGreaterThan(3);
    expect(stored.timeToFirstTokenMs).toBeGreaterThan(0);
    expect(stored.tokensPerSecond).toBeGreaterThan(0);

    const conversation = core.conversations.getConversation(started.conversationId);
    expect(conversation.title).toBe("Once upon a time");
    expect(core.conversations.branch(conversation.activeLeafId).map((m) => m.role)).toEqual(["user", "assistant"]);
  });

  it("reuses the KV cache on the next turn instead of evaluating the whole history again", async () => {
    const first = await send({ text: "Tom had a red ball", sampling: { maxTokens: 30, seed: 1 } });
    await core.chat.wait(first.requestId);
    const second = await send({ conversationId: first.conversationId, text: "Where did the ball go?", sampling: { maxTokens: 30, seed: 1 } });
    const { message } = await core.chat.wait(second.requestId);
    expect(message.status).toBe("complete");
    expect(message.promptTokens).toBeGreaterThan(20);
    // Only the new user message and the template around it are evaluated.
    expect(message.evaluatedPromptTokens).toBeLessThan(message.promptTokens! / 2);
  });

  it("stops promptly on abort and keeps what was generated", async () => {
    const started = await send({ text: "Once upon a time there was a little dog", sampling: { maxTokens: 1500, seed: 3, temperature: 1 } });
    await firstToken(started.requestId);
    core.chat.abort(started.requestId);
    const { message, error } = await core.chat.wait(started.requestId);
    expect(error).toBeNull();
    expect(message.stopReason).toBe("aborted");
    expect(message.status).toBe("complete");
    expect(message.completionTokens ?? 0).toBeLessThan(1500);
    expect(core.conversations.getMessage(message.id).content).toBe(message.content);
  });

  it("branches: regenerate adds a sibling reply, an edit adds a sibling user message", async () => {
    const started = await send({ text: "The cat sat", sampling: { maxTokens: 10, seed: 2 } });
    const first = (await core.chat.wait(started.requestId)).message;
    const again = await core.chat.regenerate(calls["chat.regenerate"].input.parse({ messageId: first.id, sampling: { seed: 5 } }));
    const second = (await core.chat.wait(again.requestId)).message;
    expect(second.parentId).toBe(first.parentId);
    expect(second.id).not.toBe(first.id);

    const edited = await send({ conversationId: started.conversationId, parentId: null, text: "The dog sat", sampling: { maxTokens: 10 } });
    await core.chat.wait(edited.requestId);
    const all = core.conversations.listMessages(started.conversationId);
    expect(all.filter((m) => m.role === "user").map((m) => m.content)).toEqual(["The cat sat", "The dog sat"]);
    expect(all.filter((m) => m.parentId === first.parentId)).toHaveLength(2);
    expect(core.conversations.getConversation(started.conversationId).activeLeafId).toBe(edited.assistantMessageId);
  });

  it("continues a reply cut by its token limit in the same message: its text first, tokens added, no new branch", async () => {
    const started = await send({ text: "The little bird", sampling: { maxTokens: 6, seed: 3, temperature: 0 } });
    const cut = (await core.chat.wait(started.requestId)).message;
    expect(cut).toMatchObject({ stopReason: "maxTokens", completionTokens: 6 });
    const streamed: string[] = [];
    const off = core.chat.onPacket((p) => p.type === "token" && streamed.push(p.text));
    const more = await core.chat.continue(calls["chat.continue"].input.parse({ messageId: cut.id, sampling: { maxTokens: 6 } }));
    expect(more.assistantMessageId).toBe(cut.id);
    const { message, error } = await core.chat.wait(more.requestId);
    off();
    expect(error).toBeNull();
    // The packets carry only what was added; the stored message is the whole reply.
    expect(message.content).toBe(cut.content + streamed.join(""));
    expect(message.content.length).toBeGreaterThan(cut.content.length);
    expect(message).toMatchObject({ id: cut.id, status: "complete", completionTokens: 12 });
    const all = core.conversations.listMessages(started.conversationId);
    expect(all.filter((m) => m.role === "assistant")).toHaveLength(1);
    await expect(core.chat.continue(calls["chat.continue"].input.parse({ messageId: all[0]!.id }))).rejects.toMatchObject({ code: "INVALID_INPUT" });
  });

  it("suggests a title from the first exchange with the loaded model, and stores nothing", async () => {
    const started = await send({ text: "# A story about a **red** ball", sampling: { maxTokens: 8 } });
    await core.chat.wait(started.requestId);
    const before = core.conversations.getConversation(started.conversationId).title;
    const title = await core.chat.suggestTitle(started.conversationId);
    expect(title.length).toBeGreaterThan(0);
    expect(title.length).toBeLessThanOrEqual(60);
    expect(title).not.toMatch(/[\n#*]/);
    expect(core.conversations.getConversation(started.conversationId).title).toBe(before);
  });

  it("survives the engine dying mid-reply: ENGINE_CRASHED, partial text kept, next turn works", async () => {
    const started = await send({ text: "Once upon a time, in a big forest", sampling: { maxTokens: 1500, seed: 4, temperature: 1 } });
    await firstToken(started.requestId);
    // Let the host save some of the text (saves are at most 100 ms apart).
    await new Promise((resolve) => setTimeout(resolve, 250));
    const pid = core.engine.pid!;
    process.kill(pid, "SIGKILL");

    const { message, error } = await core.chat.wait(started.requestId);
    expect(error?.code).toBe("ENGINE_CRASHED");
    expect(error?.suggestion).toMatch(/restarted/);
    const stored = core.conversations.getMessage(message.id);
    expect(stored.status).toBe("interrupted");
    expect(stored.errorCode).toBe("ENGINE_CRASHED");
    expect(stored.content.length).toBeGreaterThan(0);
    expect(packetsOf(started.requestId).at(-1)).toMatchObject({ type: "error", error: { code: "ENGINE_CRASHED" } });

    const next = await send({ conversationId: started.conversationId, text: "And then?", sampling: { maxTokens: 10 } });
    const after = await core.chat.wait(next.requestId);
    expect(after.error).toBeNull();
    expect(after.message.status).toBe("complete");
    expect(core.engine.pid).not.toBe(pid);
    expect(core.engine.state.status).toBe("ready");
  });

  it("tokenizes and embeds with the loaded model", async () => {
    const tokens = await core.engine.tokenize("Once upon a time");
    expect(tokens.length).toBeGreaterThan(2);
    const vector = await core.engine.local.embed("a small dog");
    expect(vector).toHaveLength(64);
  });
});

describe("context overflow is explicit, never silent", () => {
  let small: Core;
  const notices: ChatPacket[] = [];

  beforeAll(async () => {
    small = createCore({ dataDir: path.join(tempDir(), "small"), backend: "cpu" });
    small.chat.onPacket((p) => notices.push(p));
    const id = (await small.library.import(testModelPath, "reference")).id;
    // Also loads without mmap: the weights are read into memory.
    await loadLibraryModel(small.engine, small.library, id, { threads: 1, contextSize: 128, useMmap: false });
  });
  afterAll(() => small.close());

  // About 160 tokens: one fits a 256-token context, two do not.
  const long = "The little girl went to the park with her mom and saw a big red ball near the tree. ".repeat(5);
  // llama.cpp rounds the context up (to a multiple of 256), so read what the engine really has.
  const contextSize = () => small.engine.state.contextSize!;

  it("drops the oldest turns under dropOldest and tells the user how many", async () => {
    let conversationId: string | undefined;
    let last: Awaited<ReturnType<typeof small.chat.wait>> | undefined;
    for (let turn = 0; turn < 3; turn++) {
      const started = await small.chat.send(calls["chat.send"].input.parse({ conversationId, text: long, sampling: { maxTokens: 8 } }));
      conversationId = started.conversationId;
      last = await small.chat.wait(started.requestId);
      expect(last.error, `turn ${turn}: ${last.error?.message}`).toBeNull();
    }
    expect(last!.message.droppedMessages).toBeGreaterThan(0);
    const notice = notices.find((p) => p.type === "notice");
    expect(notice).toMatchObject({ type: "notice", notice: { kind: "contextTrimmed", message: expect.stringMatching(/left out/) } });
    expect(last!.message.promptTokens).toBeLessThanOrEqual(contextSize());
    expect(last!.message.loadSettings).toMatchObject({ useMmap: false });
  });

  it("refuses with CONTEXT_OVERFLOW under the error policy", async () => {
    const first = await small.chat.send(calls["chat.send"].input.parse({ text: long, sampling: { maxTokens: 8 } }));
    await small.chat.wait(first.requestId);
    const second = await small.chat.send(
      calls["chat.send"].input.parse({ conversationId: first.conversationId, text: long, overflow: "error", sampling: { maxTokens: 8 } }),
    );
    const outcome = await small.chat.wait(second.requestId);
    expect(outcome.error?.code).toBe("CONTEXT_OVERFLOW");
  });

  it("refuses a message that can never fit before anything is stored, and one past the text limit at the door", async () => {
    const before = small.conversations.listConversations().length;
    const huge = "The little girl went to the park. ".repeat(200); // ~1,800 tokens against a 256-token context
    await expect(small.chat.send(calls["chat.send"].input.parse({ text: huge }))).rejects.toMatchObject({
      code: "CONTEXT_OVERFLOW",
      message: expect.stringMatching(/Nothing was saved/),
    });
    const existing = await small.chat.send(calls["chat.send"].input.parse({ text: "Hello", sampling: { maxTokens: 4 } }));
    await small.chat.wait(existing.requestId);
    const messages = small.conversations.listMessages(existing.conversationId).length;
    await expect(small.chat.send(calls["chat.send"].input.parse({ conversationId: existing.conversationId, text: huge }))).rejects.toMatchObject({
      code: "CONTEXT_OVERFLOW",
    });
    expect(small.conversations.listMessages(existing.conversationId)).toHaveLength(messages);
    expect(small.conversations.listConversations()).toHaveLength(before + 1);

    const { createHandlers, invoke } = await import("../../electron/core/api/handlers");
    const tooLong = await invoke(createHandlers(small), "chat.send", { text: "x".repeat(MAX_MESSAGE_CHARS + 1) });
    expect(tooLong).toEqual({
      ok: false,
      error: { code: "INVALID_INPUT", message: "Invalid input for chat.send: text: The message is longer than 1,000,000 characters." },
    });
    expect(small.conversations.listConversations()).toHaveLength(before + 1);
  });

  it("stops a reply at the end of the context with stopReason contextFull", async () => {
    const started = await small.chat.send(calls["chat.send"].input.parse({ text: "Once upon a time", sampling: { temperature: 1, seed: 9 } }));
    const { message } = await small.chat.wait(started.requestId);
    expect(["contextFull", "eos"]).toContain(message.stopReason);
    expect((message.promptTokens ?? 0) + (message.completionTokens ?? 0)).toBeLessThanOrEqual(contextSize());
  });
});

describe("closing while a reply streams", () => {
  it("stops the reply and stores it as it ended before the database closes", async () => {
    const dataDir = path.join(tempDir(), "closing");
    const closing = createCore({ dataDir, backend: "cpu" });
    const id = (await closing.library.import(testModelPath, "reference")).id;
    await loadLibraryModel(closing.engine, closing.library, id, { threads: 1 });
    const firstToken = new Promise<void>((resolve) => closing.chat.onPacket((p) => p.type === "token" && resolve()));
    const started = await closing.chat.send(calls["chat.send"].input.parse({ text: "Once upon a time", sampling: { temperature: 1, seed: 3 } }));
    await firstToken;
    // Without stopping the reply first, its periodic save would write to a closed database.
    await closing.close();
    const reopened = createCore({ dataDir, backend: "cpu" });
    try {
      expect(reopened.conversations.getMessage(started.assistantMessageId)).toMatchObject({ status: "complete", stopReason: "aborted" });
      expect(reopened.conversations.getMessage(started.assistantMessageId).content.length).toBeGreaterThan(0);
    } finally {
      await reopened.close();
    }
  }, 60_000);
});
