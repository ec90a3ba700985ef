import type { Command } from "commander";
import type { EngineBuildStatus } from "../../shared/contract";
import { HearthError } from "../../shared/errors";
import { withCore } from "../context";
import { printJson } from "../output";
import { formatDuration } from "../progressLine";

const PHASES = { source: "Copying llama.cpp's source", compile: "Building llama.cpp for this machine", compare: "Comparing it with the prebuilt binary" };

/** `hearth engine`: which llama.cpp binary engines load, and "optimize for this machine" (a local build, kept when faster). */
export function registerEngine(program: Command): void {
  const engine = program.command("engine").description("the llama.cpp binary engines load: node-llama-cpp's prebuilt one, or one built on this machine");

  engine
    .command("status")
    .description("the binary in use, whether a local build exists, and how the last comparison went")
    .option("--json", "print JSON")
    .action(async (options: { json?: boolean }, command: Command) => {
      await withCore(command, async (core) => {
        printStatus(await core.engineBuilds.status(), options.json);
      });
    });

  engine
    .command("build")
    .description("build llama.cpp for this machine, bench it against the prebuilt binary on a model, and keep the faster (progress on stderr)")
    .option("--model <id>", "the model to compare on (default: the smallest in the library)")
    .option("--json", "print the outcome as JSON")
    .addHelpText("after", "\nExamples:\n  $ hearth engine build\n  $ hearth engine build --model llama-3.2-1b-instruct-q4_k_m")
    .action(async (options: { model?: string; json?: boolean }, command: Command) => {
      await withCore(command, async (core) => {
        const model = options.model ? (await core.library.resolve(options.model)).id : undefined;
        let last = "";
        const stop = core.engineBuilds.onChange(({ job }) => {
          if (!job) return;
          const eta = job.etaSeconds !== null ? `, ETA ${formatDuration(job.etaSeconds)}` : "";
          const line = `${PHASES[job.phase]}: ${Math.round(job.done * 100)}%${eta}`;
          if (line === last) return;
          last = line;
          process.stderr.write(process.stderr.isTTY ? `\r\x1b[2K${line}` : `${line}\n`);
        });
        const interrupt = () => void core.engineBuilds.cancel();
        process.once("SIGINT", interrupt);
        try {
          await core.engineBuilds.optimize(model);
          await core.engineBuilds.finished();
        } finally {
          stop();
          process.off("SIGINT", interrupt);
          if (process.stderr.isTTY && last) process.stderr.write("\n");
        }
        const status = await core.engineBuilds.status();
        if (status.error) throw HearthError.fromData(status.error);
        printStatus(status, options.json);
      });
    });

  engine
    .command("use")
    .description("load models with this binary from now on: prebuilt, or local (the build made by `hearth engine build`)")
    .argument("<binary>", "prebuilt or local")
    .action(async (binary: string, _options: unknown, command: Command) => {
      if (binary !== "prebuilt" && binary !== "local") throw new HearthError("INVALID_INPUT", `"${binary}" is not a binary: say prebuilt or local.`);
      await withCore(command, async (core) => {
        const status = await core.engineBuilds.use(binary);
        process.stderr.write(`Models now load with the ${status.using === "local" ? "local build" : "prebuilt binary"}.\n`);
      });
    });

  engine
    .command("remove")
    .description("delete the local build and go back to the prebuilt binary")
    .action(async (_options: unknown, command: Command) => {
      await withCore(command, async (core) => {
        await core.engineBuilds.remove();
        process.stderr.write("Removed the local build; models load with the prebuilt binary.\n");
      });
    });
}

function printStatus(status: EngineBuildStatus, json: boolean | undefined): void {
  if (json) printJson(status);
  else process.stdout.write(statusText(status));
}

function statusText(status: EngineBuildStatus): string {
  const lines = [
    `In use: ${status.using === "local" ? "the local build (made on this machine)" : "node-llama-cpp's prebuilt binary"}`,
    `Local build: ${status.localBuild ? "yes" : "none"}`,
  ];
  if (status.problem) lines.push(`Cannot build here: ${status.problem}`);
  const report = status.report;
  if (report) {
    const speed = (s: { pp: number; tg: number }) => `generation ${s.tg.toFixed(1)} tok/s, prompt ${s.pp.toFixed(1)} tok/s`;
    lines.push(`Last comparison (${report.model}, ${new Date(report.at).toLocaleString()}):`);
    lines.push(`  prebuilt: ${speed(report.prebuilt)}`);
    lines.push(`  local:    ${report.local ? speed(report.local) : "failed"}`);
    lines.push(`  ${report.reason}`);
  }
  return `${lines.join("\n")}\n`;
}
