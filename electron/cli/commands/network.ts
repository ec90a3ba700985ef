import type { Command } from "commander";
import { withCore } from "../context";
import { formatBytes, printJson, printTable } from "../output";
import { integer } from "../parsers";

export function registerNetwork(program: Command): void {
  program
    .command("network")
    .description("the network log: every request Hearth made (time, host, purpose, bytes)")
    .option("--limit <n>", "newest entries to show", integer(1, 10_000), 50)
    .option("--clear", "empty the log")
    .option("--json", "print JSON")
    .addHelpText("after", "\nExamples:\n  $ hearth network\n  $ hearth network --json --limit 500")
    .action(async (options: { limit: number; clear?: boolean; json?: boolean }, command: Command) => {
      await withCore(command, async (core) => {
        if (options.clear) {
          core.networkLog.clear();
          return void process.stderr.write("The network log is empty.\n");
        }
        const entries = core.networkLog.list(options.limit);
        if (options.json) return printJson(entries);
        if (entries.length === 0) return void process.stdout.write(`No requests recorded.${core.isOffline() ? " Hearth is offline." : ""}\n`);
        printTable(
          ["TIME", "HOST", "VIA", "PURPOSE", "STATUS", "BYTES", "PATH"],
          entries.map((e) => [
            new Date(e.at).toISOString().replace("T", " ").slice(0, 19),
            e.host,
            e.via ?? "direct",
            e.purpose,
            e.error ? `error: ${e.error}` : String(e.status ?? "…"),
            formatBytes(e.bytes),
            e.path,
          ]),
        );
      });
    });
}
