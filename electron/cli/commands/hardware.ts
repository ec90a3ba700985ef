import type { Command } from "commander";
import { withCore } from "../context";
import { formatBytes, printJson } from "../output";

export function registerHardware(program: Command): void {
  program
    .command("hardware")
    .description("what Hearth can run on: backends (and why one is not usable), GPUs, VRAM, RAM, CPU cores")
    .option("--cpu", "probe with the CPU backend forced")
    .option("--json", "print JSON")
    .addHelpText("after", "\nExample:\n  $ hearth hardware --json")
    .action(async (options: { cpu?: boolean; json?: boolean }, command: Command) => {
      await withCore(
        command,
        async (core) => {
          const info = await core.hardware.info();
          if (options.json) return printJson(info);
          const out = (key: string, value: string) => process.stdout.write(`${key.padEnd(11)}${value}\n`);
          out("backend", info.chosen === "cpu" ? "CPU" : info.chosen.toUpperCase());
          if (info.fallbackReason) out("", info.fallbackReason);
          for (const backend of info.backends) out(`  ${backend.name}`, backend.usable ? "usable" : `not usable: ${backend.reason}`);
          out("GPUs", info.gpus.length > 0 ? info.gpus.join(", ") : "none");
          if (info.vram) out("VRAM", `${formatBytes(info.vram.freeBytes)} free of ${formatBytes(info.vram.totalBytes)}`);
          out("RAM", `${formatBytes(info.ram.freeBytes)} free of ${formatBytes(info.ram.totalBytes)}`);
          out("CPU", `${info.cpu.model}, ${info.cpu.physicalCores} physical cores (${info.cpu.logicalCores} logical)`);
          out("system", info.platform);
        },
        { backend: options.cpu ? "cpu" : "auto" },
      );
    });
}
