import { Command, CommanderError } from "commander";
import { registerBench } from "./commands/bench";
import { registerChat } from "./commands/chat";
import { registerConversations } from "./commands/conversations";
import { registerDocs } from "./commands/docs";
import { registerEngine } from "./commands/engine";
import { registerHardware } from "./commands/hardware";
import { registerModels } from "./commands/models";
import { registerNetwork } from "./commands/network";
import { registerRemote } from "./commands/remote";
import { registerServe } from "./commands/serve";
import { exitCodeFor, printError } from "./output";
import { version } from "../../package.json";

export function buildProgram(): Command {
  const program = new Command("hearth")
    .description("Hearth: private, local AI. Models run on this machine; conversations stay in a local database.")
    .version(version)
    .option("--data-dir <dir>", "data folder (default: $HEARTH_DATA_DIR or the OS app-data folder)")
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(`${text.trimEnd().split("\n")[0]}\n`) });
  registerChat(program);
  registerBench(program);
  registerConversations(program);
  registerDocs(program);
  registerModels(program);
  registerRemote(program);
  registerHardware(program);
  registerEngine(program);
  registerNetwork(program);
  registerServe(program);
  for (const command of program.commands) {
    command.exitOverride();
    for (const sub of command.commands) sub.exitOverride();
  }
  return program;
}

/** Runs the CLI: exit 0 on success, 1 on a failure the user can act on, 2 on a usage error. */
export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv, { from: "user" });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are exits too, with code 0; commander already printed the message.
      return error.exitCode === 0 ? 0 : 2;
    }
    printError(error);
    return exitCodeFor(error);
  }
}
