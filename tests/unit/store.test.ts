import { spawn, spawnSync } from "node:child_process";
import { describe, expect, it, vi } from "vitest";
import path from "node:path";
import { ConversationStore, DEFAULT_TITLE, DEFAULT_VIEW_WINDOW } from "../../electron/core/store/ConversationStore";
import { migrations } from "../../electron/core/store/migrations";
import { openDatabase, schemaVersion } from "../../electron/core/store/openDatabase";
import { tempDir } from "../support/tempDir";

const dir = tempDir();
let n = 0;
const freshStore = () => {
  const db = openDatabase(path.join(dir, `db-${n++}.sqlite`));
  return { db, store: new ConversationStore(db) };
};

const finished = {
  thinking: null,
  status: "complete",
  promptTokens: 10,
  evaluatedPromptTokens: 10,
  completionTokens: 5,
  timeToFirstTokenMs: 12,
  tokensPerSecond: 100,
  stopReason: "eos",
  errorCode: null,
  droppedMessages: 0,
} as const;

describe("openDatabase", () => {
  it("migrates to the latest schema with WAL and foreign keys on", () => {
    const { db } = freshStore();
    expect(schemaVersion(db)).toBe(migrations.length);
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(db.pragma("foreign_keys", { simple: true })).toBe(1);
  });

  it("reopens an existing database without migrating twice", () => {
    const file = path.join(dir, "reopen.sqlite");
    const first = openDatabase(file);
    new ConversationStore(first).createConversation({ title: "kept" });
    first.close();
    const again = openDatabase(file);
    expect(new ConversationStore(again).listConversations().map((c) => c.title)).toEqual(["kept"]);
  });

  it("refuses a database from a newer Hearth instead of damaging it", () => {
    const file = path.join(dir, "newer.sqlite");
    const db = openDatabase(file);
    db.pragma(`user_version = ${migrations.length + 5}`);
    db.close();
    expect(() => openDatabase(file)).toThrow(/newer Hearth/);
  });
});

describe("ConversationStore", () => {
  it("names a conversation from its first user message", () => {
    const { store } = freshStore();
    const c = store.createConversation();
    expect(c.title).toBe(DEFAULT_TITLE);
    store.addMessage({ conversationId: c.id, parentId: null, role: "user", content: "How do  I bake\nbread at home?" });
    expect(store.getConversation(c.id).title).toBe("How do I bake");
  });

  it("names it as the message reads, without Markdown's marks", () => {
    const { store } = freshStore();
    const title = (content: string) => {
      const c = store.createConversation();
      store.addMessage({ conversationId: c.id, parentId: null, role: "user", content });
      return store.getConversation(c.id).title;
    };
    expect(title("## Lease **terms** review\n\nbody")).toBe("Lease terms review");
    expect(title("> quoted `clause` from [the lease](https://example.com)")).toBe("quoted clause from the lease");
    expect(title("```js\nconst x = 1;\n```")).toBe("const x = 1;");
    expect(title("- first item")).toBe("first item");
  });

  it("keeps edits and regenerations as branches and walks a branch root to leaf", () => {
    const { store } = freshStore();
    const c = store.createConversation();
    const u1 = store.addMessage({ conversationId: c.id, parentId: null, role: "user", content: "first" });
    const a1 = store.addMessage({ conversationId: c.id, parentId: u1.id, role: "assistant", content: "reply one" });
    const a1b = store.addMessage({ conversationId: c.id, parentId: u1.id, role: "assistant", content: "reply two" });
    const u1edit = store.addMessage({ conversationId: c.id, parentId: null, role: "user", content: "first, edited" });

    expect(store.listMessages(c.id)).toHaveLength(4);
    expect(store.branch(a1.id).map((m) => m.content)).toEqual(["first", "reply one"]);
    expect(store.branch(a1b.id).map((m) => m.content)).toEqual(["first", "reply two"]);
    expect(store.getConversation(c.id).activeLeafId).toBe(u1edit.id);
    store.updateConversation(c.id, { activeLeafId: a1.id });
    expect(store.getConversation(c.id).activeLeafId).toBe(a1.id);
  });

  it("reads the shown branch a window at a time, the end by default", () => {
    const { store } = freshStore();
    const c = store.createConversation();
    let parent: string | null = null;
    for (let i = 0; i < 150; i++)
      parent = store.addMessage({ conversationId: c.id, parentId: parent, role: i % 2 ? "assistant" : "user", content: `m${i}` }).id;
    // An abandoned alternative of the first message is not part of the shown branch.
    store.addMessage({ conversationId: c.id, parentId: null, role: "user", content: "other" });
    store.updateConversation(c.id, { activeLeafId: parent! });

    const tail = store.branchView(c.id);
    expect(tail.branchLength).toBe(150);
    expect(tail.start).toBe(150 - DEFAULT_VIEW_WINDOW);
    expect(tail.messages.map((m) => m.content)).toEqual(Array.from({ length: DEFAULT_VIEW_WINDOW }, (_, i) => `m${150 - DEFAULT_VIEW_WINDOW + i}`));
    expect(tail.messages.every((m) => m.branch.count === 1)).toBe(true);

    const first = store.branchView(c.id, { start: 0, end: 3 });
    expect(first.messages.map((m) => m.content)).toEqual(["m0", "m1", "m2"]);
    expect(first.messages[0]!.branch).toEqual({ index: 0, count: 2 });
    expect(store.branchView(c.id, { start: 148, end: 999 }).messages.map((m) => m.content)).toEqual(["m148", "m149"]);
    expect(store.branchView(c.id, { start: 10 }).messages).toHaveLength(DEFAULT_VIEW_WINDOW);
    expect(store.branchView(store.createConversation().id)).toMatchObject({ branchLength: 0, start: 0, messages: [] });
  });

  it("switches to a message's previous or next alternative and lands on the newest reply below it", () => {
    const { store } = freshStore();
    const c = store.createConversation();
    const u1 = store.addMessage({ conversationId: c.id, parentId: null, role: "user", content: "first" });
    const a1 = store.addMessage({ conversationId: c.id, parentId: u1.id, role: "assistant", content: "reply" });
    const a1b = store.addMessage({ conversationId: c.id, parentId: u1.id, role: "assistant", content: "reply, regenerated" });
    const u2 = store.addMessage({ conversationId: c.id, parentId: null, role: "user", content: "first, edited" });

    expect(store.branchView(c.id).messages.map((m) => [m.content, m.branch])).toEqual([["first, edited", { index: 1, count: 2 }]]);
    expect(store.switchBranch(u2.id, -1).activeLeafId).toBe(a1b.id);
    expect(store.branchView(c.id).messages.map((m) => [m.content, m.branch.index, m.branch.count])).toEqual([
      ["first", 0, 2],
      ["reply, regenerated", 1, 2],
    ]);
    expect(store.switchBranch(a1b.id, -1).activeLeafId).toBe(a1.id);
    expect(() => store.switchBranch(a1.id, -1)).toThrow(/no previous alternative/);
    expect(() => store.switchBranch(u2.id, 1)).toThrow(/no next alternative/);
    expect(store.switchBranch(u1.id, 1).activeLeafId).toBe(u2.id);
  });

  it("refuses a parent from another conversation", () => {
    const { store } = freshStore();
    const a = store.createConversation();
    const b = store.createConversation();
    const m = store.addMessage({ conversationId: a.id, parentId: null, role: "user", content: "hi" });
    expect(() => store.addMessage({ conversationId: b.id, parentId: m.id, role: "user", content: "x" })).toThrow(/not in conversation/);
  });

  it("saves streaming text, then the finished reply with its stats", () => {
    const { store } = freshStore();
    const c = store.createConversation();
    const u = store.addMessage({ conversationId: c.id, parentId: null, role: "user", content: "hi" });
    const a = store.addMessage({
      conversationId: c.id,
      parentId: u.id,
      role: "assistant",
      content: "",
      status: "streaming",
      modelId: "m",
      sampling: { temperature: 0.5 },
    });
    store.saveStreamingText(a.id, "partial", null);
    expect(store.getMessage(a.id)).toMatchObject({ content: "partial", status: "streaming" });
    const done = store.finishMessage(a.id, { ...finished, content: "partial and done" });
    expect(done).toMatchObject({ content: "partial and done", status: "complete", tokensPerSecond: 100, stopReason: "eos", sampling: { temperature: 0.5 } });
    // A finished reply is not overwritten by a late streaming save.
    store.saveStreamingText(a.id, "late", null);
    expect(store.getMessage(a.id).content).toBe("partial and done");
  });

  it("marks replies left streaming by a process that is gone as interrupted, keeping their text; a live owner's stay", () => {
    const { store, db } = freshStore();
    const c = store.createConversation();
    const add = () => store.addMessage({ conversationId: c.id, parentId: null, role: "assistant", content: "", status: "streaming" });
    const dead = add();
    const live = add();
    const mine = add();
    store.saveStreamingText(dead.id, "half a sent", null);
    const gone = spawnSync(process.execPath, ["-e", "0"]).pid!;
    const running = spawn("sleep", ["30"]);
    try {
      const setOwner = db.prepare(`UPDATE messages SET owner_pid = ?, owner_started = NULL WHERE id = ?`);
      setOwner.run(gone, dead.id);
      setOwner.run(running.pid, live.id);
      // `mine` keeps the owner addMessage gave it: this process, which is alive.
      expect(store.markAbandonedStreamsInterrupted()).toBe(1);
      expect(store.getMessage(dead.id)).toMatchObject({ status: "interrupted", content: "half a sent", errorCode: "ENGINE_CRASHED" });
      expect(store.getMessage(live.id).status).toBe("streaming");
      expect(store.getMessage(mine.id).status).toBe("streaming");
      // Rows from before owners were recorded belong to no one alive.
      db.prepare(`UPDATE messages SET owner_pid = NULL WHERE id = ?`).run(mine.id);
      expect(store.markAbandonedStreamsInterrupted()).toBe(1);
    } finally {
      running.kill();
    }
  });

  it("deletes a conversation with all its messages", () => {
    const { store, db } = freshStore();
    const c = store.createConversation();
    store.addMessage({ conversationId: c.id, parentId: null, role: "user", content: "hi" });
    store.deleteConversation(c.id);
    expect(db.prepare("SELECT COUNT(*) AS n FROM messages").get()).toEqual({ n: 0 });
    expect(() => store.getConversation(c.id)).toThrow(/No conversation/);
    expect(() => store.deleteConversation(c.id)).toThrow(/No conversation/);
  });

  it("searches titles and message text with full-text search, kept in step with edits and deletes", () => {
    const { store } = freshStore();
    const bread = store.createConversation({ title: "Baking" });
    store.addMessage({ conversationId: bread.id, parentId: null, role: "user", content: "How long should sourdough proof?" });
    const trip = store.createConversation({ title: "Trip to Lisbon" });
    const reply = store.addMessage({ conversationId: trip.id, parentId: null, role: "assistant", content: "", status: "streaming" });
    store.saveStreamingText(reply.id, "Take the tram to Belém", null);

    expect(store.searchConversations("sourdough").map((c) => c.id)).toEqual([bread.id]);
    expect(store.searchConversations("sourd").map((c) => c.id)).toEqual([bread.id]);
    expect(store.searchConversations("lisbon").map((c) => c.id)).toEqual([trip.id]);
    expect(store.searchConversations("belem").map((c) => c.id)).toEqual([trip.id]);
    expect(store.searchConversations("tram sourdough")).toEqual([]);
    expect(store.searchConversations('"); DROP TABLE messages; --').length).toBe(0);
    store.deleteConversation(bread.id);
    expect(store.searchConversations("sourdough")).toEqual([]);
  });

  it("lists conversations newest first", () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      const { store } = freshStore();
      vi.setSystemTime(1_000);
      const older = store.createConversation({ title: "older" });
      vi.setSystemTime(2_000);
      store.createConversation({ title: "newer" });
      expect(store.listConversations().map((c) => c.title)).toEqual(["newer", "older"]);
      vi.setSystemTime(3_000);
      store.addMessage({ conversationId: older.id, parentId: null, role: "user", content: "bump" });
      expect(store.listConversations().map((c) => c.title)).toEqual(["older", "newer"]);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe("SettingsStore", () => {
  it("keeps the valid settings when one stored value no longer parses", async () => {
    const { SettingsStore } = await import("../../electron/core/store/SettingsStore");
    const { db } = freshStore();
    const settings = new SettingsStore(db);
    settings.update({ theme: "dark", systemPrompt: "Be kind." });
    db.prepare(`UPDATE settings SET value_json = ? WHERE key = 'theme'`).run(JSON.stringify("neon"));
    expect(settings.get()).toMatchObject({ theme: "system", systemPrompt: "Be kind." });
  });
});

describe("the store at scale", () => {
  it("keeps each conversation's message count as messages come and go", () => {
    const { store, db } = freshStore();
    const c = store.createConversation();
    const first = store.addMessage({ conversationId: c.id, parentId: null, role: "user", content: "one" });
    const second = store.addMessage({ conversationId: c.id, parentId: first.id, role: "assistant", content: "two" });
    store.addMessage({ conversationId: c.id, parentId: second.id, role: "user", content: "three" });
    expect(store.getConversation(c.id).messageCount).toBe(3);
    // Deleting a message takes its replies with it (the tree cascades); the count follows.
    db.prepare(`DELETE FROM messages WHERE id = ?`).run(second.id);
    expect(store.getConversation(c.id).messageCount).toBe(1);
    expect(store.listConversations()[0]!.messageCount).toBe(1);
  });

  it("finds a common word's newest conversations without walking every match; one-letter words match titles only", () => {
    const { store } = freshStore();
    const made: string[] = [];
    for (let i = 0; i < 30; i++) {
      const c = store.createConversation({ title: i === 0 ? "x marks the spot" : `Chat ${i}` });
      store.addMessage({ conversationId: c.id, parentId: null, role: "user", content: `the river flows, day ${i}` });
      made.push(c.id);
    }
    const found = store.searchConversations("river", 10);
    expect(found).toHaveLength(10);
    expect(found.map((c) => c.id)).toEqual(made.slice(-10).reverse());
    expect(store.searchConversations("x").map((c) => c.title)).toEqual(["x marks the spot"]);
    expect(store.searchConversations("ri").length).toBe(30);
  });
});
