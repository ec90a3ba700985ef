import type { Command } from "commander";
import { activeBranch, exportConversation } from "../../core/export/exportConversation";
import { withCore } from "../context";
import { writeOutputFile } from "../writeOutputFile";
import { dim, printJson, printTable } from "../output";
import { integer, oneOf } from "../parsers";

export function registerConversations(program: Command): void {
  const conversations = program.command("conversations").alias("conv").description("list, show, export and delete stored conversations");

  conversations
    .command("list")
    .description("conversations, newest first")
    .option("--limit <n>", "how many", integer(1, 100_000), 50)
    .option("--json", "print JSON")
    .addHelpText("after", "\nExample:\n  $ hearth conversations list --limit 10")
    .action(async (options: { limit: number; json?: boolean }, command: Command) => {
      await withCore(command, async (core) => {
        const list = core.conversations.listConversations(options.limit);
        if (options.json) return printJson(list);
        if (list.length === 0) return void process.stdout.write("No conversations yet. Start one with `hearth chat --model <file>`.\n");
        printTable(
          ["ID", "TITLE", "MESSAGES", "UPDATED"],
          list.map((c) => [c.id, c.title, String(c.messageCount), new Date(c.updatedAt).toLocaleString()]),
        );
      });
    });

  conversations
    .command("show <id>")
    .description("print a conversation (the branch it currently shows)")
    .option("--json", "print the conversation and all its messages as JSON")
    .addHelpText("after", "\nExample:\n  $ hearth conversations show 3f2a9c1e-…")
    .action(async (id: string, options: { json?: boolean }, command: Command) => {
      await withCore(command, async (core) => {
        const conversation = core.conversations.getConversation(id);
        const messages = core.conversations.listMessages(id);
        if (options.json) return printJson({ conversation, messages });
        process.stdout.write(`# ${conversation.title}\n`);
        if (conversation.systemPrompt) process.stdout.write(dim(`system: ${conversation.systemPrompt}\n`));
        for (const message of activeBranch(conversation, messages)) {
          const status = message.status === "complete" ? "" : ` (${message.status})`;
          process.stdout.write(`\n[${message.role}${status}]\n${message.content}\n`);
        }
      });
    });

  conversations
    .command("export <id>")
    .description("export a conversation as Markdown or JSON")
    .requiredOption("--format <format>", "md or json", oneOf(["md", "json"] as const))
    .option("-o, --out <file>", "write to a file instead of stdout")
    .addHelpText("after", "\nExample:\n  $ hearth conversations export 3f2a9c1e-… --format md --out chat.md")
    .action(async (id: string, options: { format: "md" | "json"; out?: string }, command: Command) => {
      await withCore(command, async (core) => {
        const conversation = core.conversations.getConversation(id);
        const { filename, content } = exportConversation(conversation, core.conversations.listMessages(id), options.format);
        if (!options.out) return void process.stdout.write(content);
        process.stderr.write(`Exported to ${await writeOutputFile(options.out, filename, content)}\n`);
      });
    });

  conversations
    .command("rm <id>")
    .description("delete a conversation and all its messages")
    .addHelpText("after", "\nExample:\n  $ hearth conversations rm 3f2a9c1e-…")
    .action(async (id: string, _options: unknown, command: Command) => {
      await withCore(command, async (core) => {
        const conversation = core.conversations.getConversation(id);
        core.conversations.deleteConversation(id);
        process.stderr.write(`Deleted "${conversation.title}".\n`);
      });
    });
}
