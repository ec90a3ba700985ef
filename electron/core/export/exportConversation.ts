import type { Conversation, Message } from "../../shared/contract";
import { branchTo, indexTree } from "../../shared/messageTree";

export type ExportFormat = "md" | "json";

/**
 * A conversation as a file a person can keep. Markdown follows the branch the conversation shows;
 * JSON holds every message of every branch, with the stats that produced each reply.
 */
export function exportConversation(conversation: Conversation, messages: Message[], format: ExportFormat): { filename: string; content: string } {
  const base = `${slug(conversation.title)}-${conversation.id.slice(0, 8)}`;
  if (format === "json") {
    return {
      filename: `${base}.json`,
      content: `${JSON.stringify({ format: "hearth.conversation", version: 1, conversation, messages }, null, 2)}\n`,
    };
  }
  return { filename: `${base}.md`, content: toMarkdown(conversation, activeBranch(conversation, messages)) };
}

/** The branch the conversation shows, root first. */
export function activeBranch(conversation: Conversation, messages: Message[]): Message[] {
  return branchTo(indexTree(messages), conversation.activeLeafId);
}

function toMarkdown(conversation: Conversation, branch: Message[]): string {
  const lines = [`# ${conversation.title}`, "", `_Exported from Hearth on ${new Date().toISOString()}_`, ""];
  if (conversation.systemPrompt) lines.push("## System", "", conversation.systemPrompt, "");
  for (const message of branch) {
    lines.push(`## ${message.role === "user" ? "User" : message.role === "assistant" ? "Assistant" : "System"}`, "");
    if (message.thinking) lines.push("<details><summary>Thinking</summary>", "", message.thinking, "", "</details>", "");
    lines.push(message.content || "_(empty)_", "");
    if (message.citations?.length) {
      lines.push("Sources:", "");
      for (const c of message.citations) lines.push(`${c.n}. ${c.documentName}, page ${c.page}: “${c.quote.replace(/\s+/g, " ").trim()}”`);
      lines.push("");
    }
    if (message.role === "assistant") {
      const stats = [
        message.modelName,
        message.tokensPerSecond !== null ? `${message.tokensPerSecond.toFixed(1)} tok/s` : null,
        message.completionTokens !== null ? `${message.completionTokens} tokens` : null,
        message.stopReason ? `stop: ${message.stopReason}` : null,
        message.status !== "complete" ? message.status : null,
      ].filter(Boolean);
      if (stats.length) lines.push(`> ${stats.join(" · ")}`, "");
    }
  }
  return `${lines.join("\n").trimEnd()}\n`;
}

function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 40) || "conversation"
  );
}
