import type { Command } from "commander";
import path from "node:path";
import type { ModelEntry } from "../../shared/contract";
import type { GgufSummary } from "../../core/models/inspectGguf";
import { withCore } from "../context";
import { formatParams } from "../../shared/format";
import { formatBytes, printJson, printTable } from "../output";
import { registerHubCommands } from "./hub";

export function registerModels(program: Command): void {
  const models = program.command("models").description("the library of local GGUF models, and getting new ones from the hub");
  registerHubCommands(models);

  models
    .command("list")
    .description("models in the library")
    .option("--json", "print JSON")
    .addHelpText("after", "\nExample:\n  $ hearth models list --json")
    .action(async (options: { json?: boolean }, command: Command) => {
      await withCore(command, async (core) => {
        const list = core.library.list();
        if (options.json) return printJson(list);
        if (list.length === 0) return void process.stdout.write("The library is empty. Add a model with `hearth models import <file.gguf>`.\n");
        printTable(
          ["ID", "NAME", "ARCH", "PARAMS", "QUANT", "CTX", "SIZE", "TEMPLATE", "SOURCE", "LAST USED"],
          list.map((m) => [
            m.id,
            m.name,
            m.architecture ?? "?",
            formatParams(m.parameterCount),
            m.quantization ?? "?",
            String(m.contextLength ?? "?"),
            formatBytes(m.fileSize),
            m.hasChatTemplate ? "yes" : "none",
            m.sourceRepo ?? (m.storage === "referenced" ? "local file" : "imported copy"),
            m.lastUsedAt ? new Date(m.lastUsedAt).toISOString().slice(0, 10) : "never",
          ]),
        );
        const total = list.filter((m) => m.storage !== "referenced").reduce((sum, m) => sum + m.fileSize, 0);
        process.stdout.write(`\n${list.length} model(s); ${formatBytes(total)} in ${core.library.modelsDir}\n`);
      });
    });

  models
    .command("import <file>")
    .description("add a GGUF file to the library (referenced where it is, or copied with --copy)")
    .option("--copy", "copy the file into the models folder")
    .option("--json", "print JSON")
    .addHelpText("after", "\nExample:\n  $ hearth models import ~/Downloads/qwen2.5-0.5b-instruct-q4_k_m.gguf --copy")
    .action(async (file: string, options: { copy?: boolean; json?: boolean }, command: Command) => {
      await withCore(command, async (core) => {
        const entry = await core.library.import(file, options.copy ? "copy" : "reference");
        if (options.json) return printJson(entry);
        if (entry.alreadyInLibrary) {
          const copied = entry.storage !== "referenced";
          process.stderr.write(
            `Already in the library as ${entry.id}${options.copy && !copied ? "; nothing was copied (it stays referenced where it is)" : ""}.\n`,
          );
          return;
        }
        process.stdout.write(`Added ${entry.name} as ${entry.id}\n`);
      });
    });

  models
    .command("info <file-or-id>")
    .description("a model's metadata: architecture, parameters, quantization, context length, size")
    .option("--json", "print JSON")
    .addHelpText("after", "\nExamples:\n  $ hearth models info stories260k\n  $ hearth models info ./model.gguf --json")
    .action(async (ref: string, options: { json?: boolean }, command: Command) => {
      await withCore(command, async (core) => {
        // A path is inspected without adding it to the library.
        const { inspectGguf } = await import("../../core/models/inspectGguf");
        const info: ModelEntry | GgufSummary = core.library.find(ref) ?? core.library.findByPath(ref) ?? (await inspectGguf(ref));
        if (options.json) return printJson(info);
        const rows: [string, string][] = [
          ["name", info.name],
          ["path", info.path],
          ["architecture", info.architecture ?? "unknown"],
          ["parameters", formatParams(info.parameterCount)],
          ["quantization", info.quantization ?? "unknown"],
          ["context length", String(info.contextLength ?? "unknown")],
          ["chat template", info.hasChatTemplate ? "yes" : "no"],
          ["size", formatBytes(info.fileSize)],
        ];
        if ("id" in info) rows.unshift(["id", String(info.id)]);
        for (const [key, value] of rows) process.stdout.write(`${key.padEnd(15)}${value}\n`);
      });
    });

  models
    .command("rm <id>")
    .description("remove a model from the library (deleting its file if Hearth copied or downloaded it)")
    .option("--keep-file", "keep the file on disk")
    .addHelpText("after", "\nExample:\n  $ hearth models rm stories260k")
    .action(async (id: string, options: { keepFile?: boolean }, command: Command) => {
      await withCore(command, async (core) => {
        const entry = core.library.get(id);
        const { deletedFile } = await core.library.remove(id, !options.keepFile);
        process.stderr.write(`Removed ${entry.id}${deletedFile ? ` and deleted ${path.basename(entry.path)}` : " (file left in place)"}.\n`);
      });
    });

  models
    .command("rename <id> [name]")
    .description("the name the app shows for a model (without a name: back to the one derived from its file)")
    .addHelpText("after", '\nExample:\n  $ hearth models rename stories260k "Tiny stories"')
    .action(async (id: string, name: string | undefined, _options: unknown, command: Command) => {
      await withCore(command, async (core) => {
        const entry = core.library.rename(id, name ?? null);
        process.stderr.write(`${entry.id} is now shown as “${entry.name}”.\n`);
      });
    });
}
