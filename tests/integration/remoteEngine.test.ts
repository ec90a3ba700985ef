import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ChatPacket } from "../../electron/shared/contract";
import { parseRemoteModelId } from "../../electron/shared/remoteIds";
import { createCore, type Core } from "../../electron/core/createCore";
import { normalizeBaseUrl } from "../../electron/core/remote/RemoteEngines";
import { startOpenAiServer } from "../../electron/core/openai/OpenAiServer";
import { runCli } from "../support/runCli";
import { tempDir } from "../support/tempDir";
import { testModelPath } from "../support/testModel";

// Two Hearths on one machine: "the box" serves its library over the OpenAI-compatible API,
// "the laptop" adds it as a remote engine and chats with its model.
const root = tempDir("hearth-remote-");
let box: Core;
let server: Awaited<ReturnType<typeof startOpenAiServer>>;
let laptop: Core;
let boxModel: string;

beforeAll(async () => {
  box = createCore({ dataDir: path.join(root, "box"), backend: "cpu", keychain: null });
  boxModel = (await box.library.import(testModelPath, "reference")).id;
  server = await startOpenAiServer({ library: box.library, port: 0, apiKey: "sk-box-key", slots: 2, maxQueue: 4, idleMs: 0, backend: "cpu" });
  laptop = createCore({ dataDir: path.join(root, "laptop"), backend: "cpu", keychain: null });
}, 60_000);

afterAll(async () => {
  await laptop?.close();
  await server?.close();
  await box?.close();
});

/** The packets of one reply, and its end. */
function collect(core: Core, requestId: () => string | null) {
  const packets: ChatPacket[] = [];
  const off = core.chat.onPacket((packet) => {
    if (packet.requestId === requestId()) packets.push(packet);
  });
  return { packets, off };
}

describe("a remote engine: another Hearth's API, chatted with like a local model", () => {
  it("refuses an address that is not an OpenAI-compatible server, or a wrong key, and adds nothing", async () => {
    await expect(laptop.remotes.add({ name: "box", baseUrl: server.url, key: "sk-wrong" })).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    await expect(laptop.remotes.add({ name: "box", baseUrl: "ftp://example.com" })).rejects.toMatchObject({ code: "INVALID_INPUT" });
    await expect(laptop.remotes.add({ name: "box", baseUrl: `${server.url}/nothing-here`, key: "sk-box-key" })).rejects.toMatchObject({ code: "NETWORK" });
    expect(await laptop.remotes.list()).toEqual([]);
  });

  it("lists the remote's models once added; the key is kept, never shown", async () => {
    const added = await laptop.remotes.add({ name: "box", baseUrl: server.url, key: "sk-box-key" });
    expect(added).toMatchObject({ name: "box", baseUrl: server.url, key: { set: true, last4: "-key" }, error: null });
    expect(added.models).toEqual([{ id: `remote:${added.id}:${boxModel}`, model: boxModel }]);
    expect(JSON.stringify(await laptop.remotes.list())).not.toContain("sk-box-key");
    await expect(laptop.remotes.add({ name: "BOX", baseUrl: server.url })).rejects.toMatchObject({ code: "ALREADY_EXISTS" });
    // Each request is in the laptop's network log, as a remote engine's.
    expect(laptop.networkLog.list().some((entry) => entry.purpose === "remote engine" && entry.path === "/v1/models")).toBe(true);
  });

  it("streams a reply from the remote model, stores it with Hearth's own stats, and the engine state names the remote", async () => {
    const [remote] = await laptop.remotes.list();
    const modelId = remote!.models[0]!.id;
    let requestId: string | null = null;
    const { packets, off } = collect(laptop, () => requestId);
    const started = await laptop.chat.send({ text: "Once upon a time", modelId, sampling: { maxTokens: 16, seed: 4 }, overflow: "dropOldest" });
    requestId = started.requestId;
    expect(laptop.engine.state).toMatchObject({ backend: "remote · box", model: { id: modelId, name: `${boxModel} · box` } });
    const { message, error } = await laptop.chat.wait(started.requestId);
    off();
    expect(error).toBeNull();
    expect(packets.filter((p) => p.type === "token").length).toBeGreaterThan(1);
    expect(message).toMatchObject({ status: "complete", stopReason: "maxTokens", completionTokens: 16, modelId });
    expect(message.content.length).toBeGreaterThan(0);
    expect(message.timeToFirstTokenMs).toBeGreaterThan(0);
    expect(message.tokensPerSecond).toBeGreaterThan(0);
    expect(message.promptTokens).toBeGreaterThan(0);
    // Stored like any reply: the conversation reopens with it, on the remote model.
    expect(laptop.conversations.getConversation(started.conversationId).modelId).toBe(modelId);
    // The same seed on the box itself writes the same text: the laptop asked for what it was told.
    const direct = await fetch(`${server.url}/chat/completions`, {
      method: "POST",
      headers: { authorization: "Bearer sk-box-key", "content-type": "application/json" },
      body: JSON.stringify({ model: boxModel, messages: [{ role: "user", content: "Once upon a time" }], max_tokens: 16, seed: 4 }),
    });
    const whole = (await direct.json()) as { choices: { message: { content: string } }[] };
    expect(whole.choices[0]!.message.content).toBe(message.content);
  }, 60_000);

  it("Stop aborts the remote request: the reply is kept as far as it got, and the box stops writing it", async () => {
    const [remote] = await laptop.remotes.list();
    const modelId = remote!.models[0]!.id;
    const started = await laptop.chat.send({ text: "Once upon a time", modelId, sampling: { maxTokens: 2000 }, overflow: "dropOldest" });
    let tokens = 0;
    await new Promise<void>((resolve) => {
      const off = laptop.chat.onPacket((packet) => {
        if (packet.requestId === started.requestId && packet.type === "token" && ++tokens === 3) {
          off();
          resolve();
        }
      });
    });
    laptop.chat.abort(started.requestId);
    const { message } = await laptop.chat.wait(started.requestId);
    expect(message).toMatchObject({ status: "complete", stopReason: "aborted" });
    // The box saw the client go and ended the reply short of its 2,000 tokens.
    await expect.poll(() => server.log.find((entry) => entry.stopReason === "aborted")).toBeTruthy();
    expect(server.log.find((entry) => entry.stopReason === "aborted")!.completionTokens!).toBeLessThan(2000);
    await expect.poll(() => server.api.load).toEqual({ running: 0, slots: 2, waiting: 0 });
  }, 60_000);

  it("the Arena sets a local model against the remote one, side by side; offline, the remote side is refused at once", async () => {
    const local = await laptop.library.import(testModelPath, "reference");
    const [remote] = await laptop.remotes.list();
    const remoteId = remote!.models[0]!.id;
    const ask = { prompt: "Once upon a time", modelIds: [local.id, remoteId] as [string, string], maxTokens: 16 };
    const state = await laptop.arena.start(ask).done;
    expect(state.sides.map((side) => side.status)).toEqual(["done", "done"]);
    expect(state.sides[1]).toMatchObject({ modelId: remoteId, modelName: `${boxModel} · box`, tokens: 16 });
    expect(state.sides[1]!.text.length).toBeGreaterThan(0);
    expect(state.sides[1]!.tokensPerSecond).toBeGreaterThan(0);
    expect(state.sides[1]!.timeToFirstTokenMs).toBeGreaterThan(0);

    laptop.settings.update({ offline: true });
    try {
      const offline = await laptop.arena.start(ask).done;
      expect(offline.sides[0]!.status).toBe("done");
      expect(offline.sides[1]).toMatchObject({ status: "error", error: { code: "OFFLINE" } });
    } finally {
      laptop.settings.update({ offline: false });
    }
  }, 60_000);

  it("the box's refusals arrive in words, and offline mode refuses at once without a request", async () => {
    const [remote] = await laptop.remotes.list();
    // A model the box does not have: its 404 in OpenAI's shape becomes NOT_FOUND with the box's words.
    const ghost = `remote:${remote!.id}:no-such-model`;
    await expect(laptop.engine.loadModel(ghost)).rejects.toMatchObject({ code: "NOT_FOUND" });

    laptop.settings.update({ offline: true });
    try {
      const before = laptop.networkLog.list().length;
      const conversations = laptop.conversations.listConversations().length;
      await expect(
        laptop.chat.send({ text: "Hello", modelId: remote!.models[0]!.id, sampling: { maxTokens: 4 }, overflow: "dropOldest" }),
      ).rejects.toMatchObject({
        code: "OFFLINE",
      });
      expect(laptop.networkLog.list().length).toBe(before);
      expect(laptop.conversations.listConversations().length).toBe(conversations);
    } finally {
      laptop.settings.update({ offline: false });
    }
  }, 60_000);

  it("a collection embedded by the remote's model: indexed and searched through its /embeddings, bound to it like a local model", async () => {
    const [remote] = await laptop.remotes.list();
    const modelId = remote!.models[0]!.id;
    const folder = path.join(root, "notes");
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(folder, "garden.txt"), "The garden gate is painted green. Tomatoes grow by the south wall.");
    fs.writeFileSync(path.join(folder, "boat.txt"), "The boat is kept in the harbour. Its sail was mended in May.");
    const collection = laptop.documents.createCollection("Remote notes");
    const outcomes = await laptop.indexer.add(collection.id, [folder], { modelId });
    expect(outcomes.map((o) => o.status)).toEqual(["indexed", "indexed"]);
    expect(laptop.documents.collection(collection.id)).toMatchObject({ embeddingModelId: modelId, embeddingModelName: `${boxModel} · box` });
    const passages = await laptop.indexer.search(collection.id, "Where do the tomatoes grow?", { limit: 2 });
    expect(passages[0]!.text).toContain("Tomatoes");
    expect(laptop.networkLog.list().some((entry) => entry.purpose === "remote engine" && entry.path === "/v1/embeddings" && entry.status === 200)).toBe(true);
    // A local model cannot be mixed into it.
    const local = (await laptop.library.import(testModelPath, "reference")).id;
    await expect(laptop.indexer.add(collection.id, [folder], { modelId: local })).rejects.toThrow(/cannot be mixed/);
  }, 60_000);

  it("a review grid answered by the remote model: typed cells through its JSON-schema output, each citing its document", async () => {
    const [remote] = await laptop.remotes.list();
    const modelId = remote!.models[0]!.id;
    const [collection] = laptop.documents.listCollections().filter((c) => c.name === "Remote notes");
    const grid = laptop.gridStore.create(
      collection!.id,
      "Notes",
      [
        { label: "Colour", question: "What colour is the gate?", type: { kind: "text" } },
        { label: "Boat", question: "Is there a boat?", type: { kind: "yesNo" } },
      ],
      modelId,
    );
    await laptop.grids.start(grid.id).done;
    const view = laptop.grids.view(grid.id);
    expect(view.cells).toHaveLength(4);
    // Typed by the box's grammar: a yes/no cell holds a boolean (or nothing found), never free text.
    for (const cell of view.cells.filter((c) => c.status === "done" && c.columnId === grid.columns[1]!.id)) expect([true, false, null]).toContain(cell.value);
    expect(view.cells.filter((c) => c.status === "done").length).toBeGreaterThanOrEqual(2);
    for (const cell of view.cells.filter((c) => c.status === "done" && c.value !== null)) expect(cell.citations.length).toBeGreaterThan(0);
    expect(server.log.some((entry) => entry.path === "/v1/chat/completions" && entry.status === 200)).toBe(true);
  }, 120_000);

  it("removing the engine forgets its key and lets go of its model", async () => {
    const [remote] = await laptop.remotes.list();
    expect(parseRemoteModelId(laptop.engine.loadedModel!.id!)?.engineId).toBe(remote!.id);
    laptop.remotes.remove("box");
    expect(await laptop.remotes.list()).toEqual([]);
    expect(laptop.secrets.status(`remote-engine:${remote!.id}`).set).toBe(false);
  });
});

describe("hearth remote, as a user at a terminal", () => {
  it("adds the box with a key from the environment, lists its models, chats with one, and removes it", async () => {
    const dataDir = path.join(root, "cli");
    const env = { HEARTH_NO_KEYCHAIN: "1" };
    const added = await runCli(["remote", "add", "box", server.url], { dataDir, env: { ...env, HEARTH_REMOTE_KEY: "sk-box-key" } });
    expect(added.code).toBe(0);
    expect(added.stdout).toContain(`Added box (${server.url}): 1 model(s): ${boxModel}`);
    const listed = await runCli(["remote", "list", "--json"], { dataDir, env });
    expect(JSON.parse(listed.stdout)).toMatchObject([{ name: "box", key: { set: true, last4: "-key" }, models: [{ model: boxModel }] }]);
    expect(listed.stdout).not.toContain("sk-box-key");

    const chat = await runCli(["chat", "--model", `remote:box:${boxModel}`, "--prompt", "Once upon a time", "--max-tokens", "8", "--json"], { dataDir, env });
    expect(chat.code).toBe(0);
    const reply = JSON.parse(chat.stdout) as { text: string; completionTokens: number; stopReason: string; model: { name: string } };
    expect(reply).toMatchObject({ completionTokens: 8, stopReason: "maxTokens", model: { name: `${boxModel} · box` } });
    expect(reply.text.length).toBeGreaterThan(0);

    // A wrong name is one clear line and exit code 1; removing forgets it.
    const unknown = await runCli(["chat", "--model", `remote:nowhere:${boxModel}`, "--prompt", "Hi"], { dataDir, env });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('No remote engine "nowhere"');
    expect((await runCli(["remote", "remove", "box"], { dataDir, env })).code).toBe(0);
    expect((await runCli(["remote", "list"], { dataDir, env })).stdout).toContain("No remote engines.");
  }, 120_000);
});

describe("a remote engine's address", () => {
  it("gets /v1 when it is a bare server, and loses a trailing slash, query and fragment", () => {
    expect(normalizeBaseUrl("http://10.0.0.5:8080")).toBe("http://10.0.0.5:8080/v1");
    expect(normalizeBaseUrl("https://box.example/v1/")).toBe("https://box.example/v1");
    expect(normalizeBaseUrl(" http://box:11434/v1?x=1#y ")).toBe("http://box:11434/v1");
    expect(() => normalizeBaseUrl("http://user:pw@box/v1")).toThrow(/key field/);
    expect(() => normalizeBaseUrl("box")).toThrow(/not an address/);
  });
});
