import { describe, expect, it, vi } from "vitest";
import path from "node:path";
import { callNames, calls, chatPacketSchema } from "../../electron/shared/contract";
import { createCore } from "../../electron/core/createCore";
import { createHandlers, invoke } from "../../electron/core/api/handlers";
import { tempDir } from "../support/tempDir";

// No engine is started by these calls: the engine process starts on first use only.
const core = createCore({ dataDir: path.join(tempDir(), "data") });
const handlers = createHandlers(core);

describe("contract", () => {
  it("has a handler for every call, and no handler without a call", () => {
    expect(Object.keys(handlers).sort()).toEqual([...callNames].sort());
  });

  it("refuses an unknown call and invalid input as data, never by throwing", async () => {
    expect(await invoke(handlers, "conversations.nuke", {})).toEqual({ ok: false, error: expect.objectContaining({ code: "INVALID_INPUT" }) });
    const empty = await invoke(handlers, "chat.send", { text: "   " });
    expect(empty).toEqual({ ok: false, error: expect.objectContaining({ code: "INVALID_INPUT", message: expect.stringMatching(/empty/) }) });
    const badType = await invoke(handlers, "conversations.rename", { id: 5, title: "x" });
    expect(badType).toMatchObject({ ok: false, error: { code: "INVALID_INPUT" } });
  });

  it("answers a missing conversation with NOT_FOUND", async () => {
    expect(await invoke(handlers, "conversations.get", { id: "nope" })).toMatchObject({ ok: false, error: { code: "NOT_FOUND" } });
  });

  it("refuses a view window that is reversed or too large, and a branch step other than -1 or +1", async () => {
    const { id } = core.conversations.createConversation();
    expect(await invoke(handlers, "conversations.view", { id, start: 5, end: 2 })).toMatchObject({
      ok: false,
      error: { code: "INVALID_INPUT", message: expect.stringMatching(/start must not be after end/) },
    });
    expect(await invoke(handlers, "conversations.view", { id, start: 0, end: 501 })).toMatchObject({
      ok: false,
      error: { code: "INVALID_INPUT", message: expect.stringMatching(/at most 500/) },
    });
    expect(await invoke(handlers, "conversations.view", { id })).toMatchObject({ ok: true, value: { branchLength: 0, messages: [] } });
    expect(await invoke(handlers, "conversations.switchBranch", { messageId: "x", step: 2 })).toMatchObject({ ok: false, error: { code: "INVALID_INPUT" } });
    expect(await invoke(handlers, "conversations.switchBranch", { messageId: "x", step: 1 })).toMatchObject({ ok: false, error: { code: "NOT_FOUND" } });
  });

  it("turns an unexpected exception into INTERNAL without leaking its stack to the caller", async () => {
    const log = vi.fn();
    const broken = {
      ...handlers,
      "conversations.list": () => {
        throw new TypeError("boom");
      },
    };
    const result = await invoke(broken, "conversations.list", {}, log);
    expect(result).toMatchObject({ ok: false, error: { code: "INTERNAL", message: "boom" } });
    expect(JSON.stringify(result)).not.toMatch(/at .*\.ts/);
    expect(log).toHaveBeenCalledOnce();
  });

  it("round-trips a conversation through create, rename, get and delete", async () => {
    const created = await invoke(handlers, "conversations.create", { title: "Plans" });
    expect(created.ok).toBe(true);
    const id = (created as { value: { id: string } }).value.id;
    await invoke(handlers, "conversations.rename", { id, title: "Trip plans" });
    expect(await invoke(handlers, "conversations.get", { id })).toMatchObject({ ok: true, value: { conversation: { title: "Trip plans" }, messages: [] } });
    expect(await invoke(handlers, "conversations.delete", { id })).toEqual({ ok: true, value: { ok: true } });
  });

  it("refuses a chat when no model is loaded, with a suggestion, and stores nothing", async () => {
    const before = core.conversations.listConversations().length;
    expect(await invoke(handlers, "chat.send", { text: "hello" })).toMatchObject({
      ok: false,
      error: { code: "MODEL_NOT_LOADED", suggestion: expect.any(String) },
    });
    expect(core.conversations.listConversations()).toHaveLength(before);
  });

  it("validates stream packets with a discriminated union", () => {
    expect(chatPacketSchema.safeParse({ type: "token", requestId: "r", text: "a", segment: "answer" }).success).toBe(true);
    expect(chatPacketSchema.safeParse({ type: "token", requestId: "r", text: "a" }).success).toBe(false);
  });
});

describe("forwardEvents", () => {
  it("forwards every contract event from the core, and stops when unsubscribed", async () => {
    const { eventNames } = await import("../../electron/shared/contract");
    const { forwardEvents } = await import("../../electron/core/api/handlers");
    const seen: string[] = [];
    const stop = forwardEvents(core, (event) => seen.push(event));
    // Drive each source: a state change and a stream packet, through the core's own emitters.
    (core.engine.local as unknown as { setState(patch: object): void }).setState({ status: "idle" });
    (core.chat as unknown as { emit(packet: object): void }).emit({ type: "token", requestId: "r", text: "x", segment: "answer" });
    (core.bench as unknown as { emit(run: object): void }).emit({ id: "run", rows: [] });
    (core.arena as unknown as { emit(state: object): void }).emit({ id: "arena", sides: [] });
    (core.downloads as unknown as { emit(packet: object): void }).emit({ type: "removed", id: "d" });
    core.conversations.createConversation({ title: "Event" });
    (core.indexer as unknown as { emit(progress: object): void }).emit({ ingestId: "i", finished: true });
    (core.grids as unknown as { emit(packet: object): void }).emit({ type: "run", gridId: "g", run: null, error: null });
    core.api.revokeKey();
    (core.engineBuilds as unknown as { emit(): void }).emit();
    expect([...new Set(seen)].sort()).toEqual([...eventNames].sort());
    stop();
    (core.engine.local as unknown as { setState(patch: object): void }).setState({ status: "stopped" });
    expect(seen).toHaveLength(10);
  });
});

describe("settings", () => {
  it("updates only the fields given and keeps the rest", async () => {
    await invoke(handlers, "settings.update", { systemPrompt: "Be brief.", sampling: { temperature: 0.3 } });
    const afterTheme = await invoke(handlers, "settings.update", { theme: "dark" });
    expect(afterTheme).toMatchObject({ ok: true, value: { settings: { theme: "dark", systemPrompt: "Be brief.", sampling: { temperature: 0.3 } } } });
    expect(await invoke(handlers, "settings.get", {})).toMatchObject({ ok: true, value: { dataDir: core.paths.dataDir, settings: { theme: "dark" } } });
    expect(await invoke(handlers, "settings.update", { theme: "neon" })).toMatchObject({ ok: false, error: { code: "INVALID_INPUT" } });
  });

  it("moves downloads to a chosen models folder and reports the offline switch", async () => {
    const chosen = `${core.paths.dataDir}/elsewhere`;
    const updated = await invoke(handlers, "settings.update", { modelsDir: chosen, offline: true });
    expect(updated).toMatchObject({ ok: true, value: { modelsDir: chosen, settings: { offline: true }, offlineForced: false } });
    expect(core.library.modelsDir).toBe(chosen);
    expect(core.isOffline()).toBe(true);
    await invoke(handlers, "settings.update", { modelsDir: "", offline: false });
    expect(core.library.modelsDir).toBe(core.paths.models);
  });

  it("takes a proxy address (http, https or socks5) and a number of connections per download, refusing others", async () => {
    expect(await invoke(handlers, "settings.update", { proxy: "http://proxy.corp:3128", downloadConnections: 8 })).toMatchObject({
      ok: true,
      value: { settings: { proxy: "http://proxy.corp:3128", downloadConnections: 8 } },
    });
    for (const bad of [{ proxy: "ftp://proxy.corp" }, { proxy: "proxy.corp:3128" }, { downloadConnections: 0 }, { downloadConnections: 64 }]) {
      expect(await invoke(handlers, "settings.update", bad)).toMatchObject({ ok: false, error: { code: "INVALID_INPUT" } });
    }
    await invoke(handlers, "settings.update", { proxy: "", downloadConnections: 4 });
  });

  it("does not fill in load defaults for fields a load request leaves out (they would override a model's own)", () => {
    expect(calls["engine.load"].input.parse({ modelId: "m", settings: { threads: 1 } })).toEqual({ modelId: "m", settings: { threads: 1 } });
  });
});

describe("limits", () => {
  /** Every string schema reachable in a schema, with its path. */
  function strings(schema: unknown, at: string, found: { at: string; max: number | null }[] = []): typeof found {
    const def = (schema as { _zod?: { def?: Record<string, unknown> } })._zod?.def;
    if (!def) return found;
    switch (def.type) {
      case "string":
        found.push({ at, max: (schema as { maxLength: number | null }).maxLength });
        break;
      case "object":
        for (const [key, value] of Object.entries(def.shape as Record<string, unknown>)) strings(value, `${at}.${key}`, found);
        break;
      case "array":
        strings(def.element, `${at}[]`, found);
        break;
      case "tuple":
        for (const [i, item] of (def.items as unknown[]).entries()) strings(item, `${at}[${i}]`, found);
        break;
      case "union":
        for (const option of def.options as unknown[]) strings(option, at, found);
        break;
      case "record":
        strings(def.keyType, `${at}{key}`, found);
        strings(def.valueType, `${at}{}`, found);
        break;
      case "optional":
      case "nullable":
      case "default":
      case "prefault":
      case "readonly":
      case "nonoptional":
        strings(def.innerType, at, found);
        break;
      case "pipe":
        strings(def.in, at, found);
        break;
    }
    return found;
  }

  it("every string a caller can send has a maximum length", () => {
    const unbounded = Object.entries(calls).flatMap(([name, call]) =>
      strings(call.input, name)
        .filter((s) => s.max === null)
        .map((s) => s.at),
    );
    expect(unbounded).toEqual([]);
    // The walk does reach the strings (so the check above can fail).
    expect(strings(calls["chat.send"].input, "chat.send").map((s) => s.at)).toEqual(expect.arrayContaining(["chat.send.text", "chat.send.sampling.stop[]"]));
  });
});

describe("bench limits", () => {
  it("refuses more than 16 values of a setting, or more than 256 rows in one run", () => {
    const spec = calls["bench.start"].input;
    expect(spec.safeParse({ modelIds: ["m"], pp: Array.from({ length: 16 }, (_, i) => i + 1) }).success).toBe(true);
    expect(spec.safeParse({ modelIds: ["m"], pp: Array.from({ length: 17 }, (_, i) => i + 1) }).success).toBe(false);
    const wide = { modelIds: ["m"], pp: [1, 2, 3, 4], tg: [1, 2, 3, 4], depth: [0, 1, 2, 3], threads: [1, 2, 3, 4, 5] };
    const refused = spec.safeParse(wide);
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]?.message).toMatch(/at most 256 rows/);
    expect(spec.safeParse({ ...wide, threads: [1, 2, 3, 4] }).success).toBe(true);
  });
});
