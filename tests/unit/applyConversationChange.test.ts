import { describe, expect, it } from "vitest";
import type { Conversation } from "../../electron/shared/contract";
import { applyConversationChange } from "../../renderer/src/lib/applyConversationChange";

const conversation = (id: string, updatedAt: number, title = id) => ({ id, updatedAt, title }) as Conversation;
const ids = (list: Conversation[]) => list.map((c) => c.id);

describe("applyConversationChange", () => {
  const list = [conversation("c", 30), conversation("b", 20), conversation("a", 10)];

  it("moves a changed conversation to its place by time, adds a new one, and drops a removed one", () => {
    expect(ids(applyConversationChange(list, { type: "changed", conversation: conversation("a", 40) }, false))).toEqual(["a", "c", "b"]);
    expect(ids(applyConversationChange(list, { type: "changed", conversation: conversation("d", 50) }, false))).toEqual(["d", "c", "b", "a"]);
    const renamed = applyConversationChange(list, { type: "changed", conversation: conversation("b", 20, "Renamed") }, false);
    expect(renamed.map((c) => c.title)).toEqual(["c", "Renamed", "a"]);
    expect(ids(applyConversationChange(list, { type: "removed", id: "b" }, false))).toEqual(["c", "a"]);
  });

  it("keeps search results to the conversations they hold", () => {
    expect(ids(applyConversationChange(list, { type: "changed", conversation: conversation("d", 50) }, true))).toEqual(["c", "b", "a"]);
    expect(ids(applyConversationChange(list, { type: "changed", conversation: conversation("a", 40) }, true))).toEqual(["a", "c", "b"]);
  });
});
