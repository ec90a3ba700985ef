import { describe, expect, it } from "vitest";
import type { ChatHistoryItem } from "node-llama-cpp";
import { fitHistory, toChatHistory } from "../../electron/core/engine/worker/historyFit";

// One token per word, plus one per message: enough to exercise the policy.
const countTokens = (history: ChatHistoryItem[]) =>
  history.reduce((sum, item) => sum + 1 + (item.type === "model" ? item.response.join(" ") : String(item.text)).split(/\s+/).length, 0);

const history = toChatHistory("be brief", [
  { role: "user", text: "one two three four" },
  { role: "assistant", text: "five six seven eight" },
  { role: "user", text: "nine ten eleven twelve" },
  { role: "assistant", text: "thirteen fourteen fifteen sixteen" },
  { role: "user", text: "last question" },
]);

describe("fitHistory", () => {
  it("keeps everything that fits", () => {
    const fit = fitHistory({ history, contextSize: 100, reserve: 10, policy: "dropOldest", countTokens });
    expect(fit.droppedMessages).toBe(0);
    expect(fit.history).toHaveLength(6);
    expect(fit.promptTokens).toBe(countTokens(history));
  });

  it("drops whole oldest turns, keeps the system prompt and the newest message, and says how many", () => {
    const fit = fitHistory({ history, contextSize: 22, reserve: 5, policy: "dropOldest", countTokens });
    expect(fit.droppedMessages).toBe(2);
    expect(fit.history[0]).toEqual({ type: "system", text: "be brief" });
    expect(fit.history.at(-1)).toEqual({ type: "user", text: "last question" });
    expect(fit.history[1]).toEqual({ type: "user", text: "nine ten eleven twelve" });
    expect(fit.promptTokens).toBeLessThanOrEqual(17);
  });

  it("refuses under the error policy instead of dropping anything", () => {
    expect(() => fitHistory({ history, contextSize: 22, reserve: 5, policy: "error", countTokens })).toThrow(
      expect.objectContaining({ code: "CONTEXT_OVERFLOW" }),
    );
  });

  it("refuses when even the newest message alone does not fit", () => {
    expect(() => fitHistory({ history, contextSize: 6, reserve: 2, policy: "dropOldest", countTokens })).toThrow(
      expect.objectContaining({ code: "CONTEXT_OVERFLOW" }),
    );
  });
});
