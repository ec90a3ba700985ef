import type { Command } from "commander";
import { withCore } from "../context";
import { printJson, printTable } from "../output";
import { readTokenFile } from "../readTokenFile";

export function registerRemote(program: Command): void {
  const remote = program
    .command("remote")
    .description("remote engines: OpenAI-compatible servers (another Hearth, llama-server, vLLM, Ollama) whose models you chat with here");

  remote
    .command("list")
    .description("the remote engines and the models each serves")
    .option("--json", "print JSON")
    .action(async (options: { json?: boolean }, command: Command) => {
      await withCore(command, async (core) => {
        const engines = await core.remotes.list({ refresh: true });
        if (options.json) return printJson(engines);
        if (engines.length === 0) return void process.stdout.write("No remote engines. Add one with: hearth remote add NAME URL\n");
        printTable(
          ["NAME", "ADDRESS", "KEY", "MODELS"],
          engines.map((e) => [
            e.name,
            e.baseUrl,
            e.key.set ? `…${e.key.last4}` : "none",
            e.error ? `error: ${e.error}` : e.models.map((m) => m.model).join(", ") || "none",
          ]),
        );
        process.stderr.write(`Chat with one: hearth chat --model remote:NAME:MODEL\n`);
      });
    });

  remote
    .command("add")
    .description("add a server once it lists its models (the key is kept in the keychain)")
    .argument("<name>", "what Hearth calls it")
    .argument("<url>", "its OpenAI-compatible address, such as http://192.168.1.20:8080/v1")
    .option("--key-file <file>", "the API key, read from a file; or set HEARTH_REMOTE_KEY")
    .option("--json", "print JSON")
    .addHelpText(
      "after",
      "\nExamples:\n  $ hearth remote add box http://192.168.1.20:8080/v1\n  $ HEARTH_REMOTE_KEY=sk-… hearth remote add gpu https://gpu.example/v1",
    )
    .action(async (name: string, url: string, options: { keyFile?: string; json?: boolean }, command: Command) => {
      const key = options.keyFile ? await readTokenFile(options.keyFile, "--key-file") : process.env.HEARTH_REMOTE_KEY?.trim() || undefined;
      await withCore(command, async (core) => {
        const added = await core.remotes.add({ name, baseUrl: url, key });
        if (options.json) return printJson(added);
        process.stdout.write(`Added ${added.name} (${added.baseUrl}): ${added.models.length} model(s): ${added.models.map((m) => m.model).join(", ")}\n`);
      });
    });

  remote
    .command("remove")
    .description("forget a remote engine and its key")
    .argument("<name>", "its name or id")
    .action(async (name: string, _options: unknown, command: Command) => {
      await withCore(command, async (core) => {
        core.remotes.remove(name);
        process.stderr.write(`Removed ${name}.\n`);
      });
    });
}
