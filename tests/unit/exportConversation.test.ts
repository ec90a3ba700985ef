import { describe, expect, it } from "vitest";
import path from "node:path";
import { exportConversation } from "../../electron/core/export/exportConversation";
import { ConversationStore } from "../../electron/core/store/ConversationStore";
import { openDatabase } from "../../electron/core/store/openDatabase";
import { tempDir } from "../support/tempDir";

describe("exportConversation", () => {
  const store = new ConversationStore(openDatabase(path.join(tempDir(), "x.db")));
  const c = store.createConversation({ systemPrompt: "Answer in French." });
  const u = store.addMessage({ conversationId: c.id, parentId: null, role: "user", content: "Hello there" });
  const a = store.addMessage({ conversationId: c.id, parentId: u.id, role: "assistant", content: "old branch", modelName: "Tiny" });
  store.addMessage({ conversationId: c.id, parentId: u.id, role: "assistant", content: "Bonjour", modelName: "Tiny" });

  it("writes the shown branch as Markdown", () => {
    const { filename, content } = exportConversation(store.getConversation(c.id), store.listMessages(c.id), "md");
    expect(filename).toMatch(/^hello-there-[0-9a-f]{8}\.md$/);
    expect(content).toContain("# Hello there");
    expect(content).toContain("Answer in French.");
    expect(content).toContain("## User\n\nHello there");
    expect(content).toContain("## Assistant\n\nBonjour");
    expect(content).not.toContain("old branch");
    expect(content).not.toContain(a.id);
  });

  it("writes every branch as JSON", () => {
    const { content } = exportConversation(store.getConversation(c.id), store.listMessages(c.id), "json");
    const parsed = JSON.parse(content);
    expect(parsed.format).toBe("hearth.conversation");
    expect(parsed.messages.map((m: { content: string }) => m.content)).toEqual(["Hello there", "old branch", "Bonjour"]);
  });
});
