import type { Command } from "commander";
import { HearthError } from "../../shared/errors";
import type { Download, QuantGroup } from "../../shared/modelHub";
import { withCore } from "../context";
import { formatBytes, printJson, printTable } from "../output";
import { integer, oneOf } from "../parsers";
import { progressLine } from "../progressLine";

const VERDICT_LABEL: Record<string, string> = { fullGpu: "full GPU", partialGpu: "partial GPU", cpuOnly: "CPU only", tooLarge: "will not fit" };

/** `hearth models search|files|pull|catalog`: finding and fetching models on the hub. */
export function registerHubCommands(models: Command): void {
  models
    .command("catalog")
    .description("the curated starter models (shown offline)")
    .option("--json", "print JSON")
    .addHelpText("after", "\nExample:\n  $ hearth models catalog")
    .action(async (options: { json?: boolean }) => {
      const { catalog } = await import("../../core/hub/catalog");
      if (options.json) return printJson(catalog);
      printTable(
        ["REPO", "KIND", "PARAMS", "QUANT", "SIZE", "ABOUT"],
        catalog.map((c) => [c.repo, c.kind, c.parameters, c.quant, formatBytes(c.approxBytes), c.description]),
      );
    });

  models
    .command("search [query]")
    .description("search GGUF models on the Hugging Face Hub (HF_ENDPOINT for a mirror)")
    .option("--sort <order>", "downloads or recent", oneOf(["downloads", "recent"] as const), "downloads")
    .option("--limit <n>", "how many", integer(1, 100), 20)
    .option("--json", "print JSON")
    .addHelpText("after", "\nExamples:\n  $ hearth models search qwen2.5 instruct\n  $ hearth models search llama --sort recent --json")
    .action(async (query: string | undefined, options: { sort: "downloads" | "recent"; limit: number; json?: boolean }, command: Command) => {
      await withCore(command, async (core) => {
        const found = await core.advisor.search({ query: query ?? "", sort: options.sort, limit: options.limit });
        if (options.json) return printJson(found);
        if (found.length === 0) return void process.stdout.write("No GGUF models match. Try fewer words.\n");
        printTable(
          ["REPO", "SIZE", "FIT", "DOWNLOADS", "LIKES", "UPDATED", ""],
          found.map((m) => [
            m.repo,
            m.sizeRange ? `~${formatBytes(m.sizeRange.min)}–${formatBytes(m.sizeRange.max)}` : "?",
            m.fit ? VERDICT_LABEL[m.fit.verdict]! : "?",
            m.downloads.toLocaleString("en-US"),
            String(m.likes),
            new Date(m.updatedAt).toISOString().slice(0, 10),
            m.gated ? "gated" : "",
          ]),
        );
      });
    });

  models
    .command("files <repo>")
    .description("a repo's GGUF models by quantization, with memory estimates and the verdict for this machine")
    .option("--ctx <n>", "context size the estimate is for", integer(256, 1_048_576), 4096)
    .option("--json", "print JSON")
    .addHelpText("after", "\nExample:\n  $ hearth models files Qwen/Qwen2.5-0.5B-Instruct-GGUF --ctx 8192")
    .action(async (repo: string, options: { ctx: number; json?: boolean }, command: Command) => {
      await withCore(command, async (core) => {
        const files = await core.advisor.repoFiles(repo, options.ctx);
        if (options.json) return printJson(files);
        printTable(
          ["QUANT", "SIZE", "FILES", "RAM", "VRAM", "VERDICT", ""],
          files.groups.map((g) => [
            g.quant,
            formatBytes(g.totalBytes),
            String(g.files.length),
            g.fit ? formatBytes(g.fit.ramBytes) : "?",
            g.fit ? formatBytes(g.fit.vramBytes) : "?",
            g.fit ? verdictText(g) : `unknown: ${g.fitError}`,
            g.recommended ? "recommended" : "",
          ]),
        );
        process.stdout.write(`\nEstimates for ${options.ctx.toLocaleString("en-US")} tokens of context. Download with: hearth models pull ${repo}:<QUANT>\n`);
      });
    });

  models
    .command("pull <ref>")
    .description("download a model from the hub into the library: REPO, REPO:QUANT or REPO:FILE (resumes if run again)")
    .option("--ctx <n>", "context size for choosing the recommended quantization", integer(256, 1_048_576), 4096)
    .option("--connections <n>", "ranged connections for a large file (default: the setting, 4)", integer(1, 16))
    .option("--json", "print JSON when done")
    .addHelpText(
      "after",
      "\nExamples:\n  $ hearth models pull Qwen/Qwen2.5-0.5B-Instruct-GGUF            # the recommended quantization\n  $ hearth models pull Qwen/Qwen2.5-0.5B-Instruct-GGUF:Q8_0\n  $ hearth models pull ggml-org/models:tinyllamas/stories260K.gguf",
    )
    .action(async (ref: string, options: { ctx: number; connections?: number; json?: boolean }, command: Command) => {
      await withCore(command, async (core) => {
        const colon = ref.indexOf(":");
        const repo = colon === -1 ? ref : ref.slice(0, colon);
        const { group, advice } = await core.advisor.choose(repo, colon === -1 ? null : ref.slice(colon + 1), options.ctx);
        if (advice) process.stderr.write(`${advice}\n`);
        const already = core.downloads.findDownloaded(repo, group.files);
        if (already) {
          if (options.json) return printJson({ modelId: already, repo, quant: group.quant, alreadyInLibrary: true });
          return void process.stderr.write(`Already in the library as ${already}.\n`);
        }
        const started = Date.now();
        const download = await core.downloads.enqueue(repo, group.quant, group.files, { connections: options.connections });
        const finished = await follow(core.downloads, download);
        if (finished.status === "paused") {
          throw new HearthError(
            "ABORTED",
            `Paused at ${formatBytes(finished.receivedBytes)} of ${formatBytes(finished.totalBytes)}; run the same command to resume.`,
          );
        }
        if (finished.status !== "done" || !finished.modelId) {
          throw finished.error ? HearthError.fromData(finished.error) : new HearthError("INTERNAL", `The download ended as ${finished.status}.`);
        }
        const seconds = (Date.now() - started) / 1000;
        if (options.json) {
          return printJson({
            modelId: finished.modelId,
            repo,
            quant: group.quant,
            files: group.files.map((f) => f.path),
            bytes: finished.totalBytes,
            sha256Verified: group.files.every((f) => f.sha256 !== null),
            seconds,
            alreadyInLibrary: false,
          });
        }
        process.stderr.write(`Added ${finished.modelId} to the library (${formatBytes(finished.totalBytes)} in ${seconds.toFixed(1)} s).\n`);
        if (finished.message) process.stderr.write(`${finished.message}\n`);
      });
    });
}

function verdictText(group: QuantGroup): string {
  const fit = group.fit!;
  return fit.verdict === "partialGpu" ? `partial GPU (${fit.gpuLayers}/${fit.totalLayers} layers)` : VERDICT_LABEL[fit.verdict]!;
}

/** Shows a download's progress until it stops; Ctrl-C pauses it (its bytes stay for a resume). */
async function follow(downloads: import("../../core/downloads/DownloadManager").DownloadManager, download: Download): Promise<Download> {
  const line = progressLine();
  const label = `${download.repo.split("/").at(-1)} ${download.quant}`;
  let lastMessage: string | null = null;
  const unsubscribe = downloads.onPacket((packet) => {
    if (packet.type === "progress" && packet.id === download.id) {
      line.update(label, packet.receivedBytes, download.totalBytes, packet.bytesPerSecond, packet.etaSeconds);
    } else if (packet.type === "status" && packet.download.id === download.id && packet.download.message && packet.download.message !== lastMessage) {
      lastMessage = packet.download.message;
      line.note(packet.download.message);
    }
  });
  const onInterrupt = () => downloads.pause(download.id);
  process.once("SIGINT", onInterrupt);
  try {
    return await downloads.waitFor(download.id);
  } finally {
    process.off("SIGINT", onInterrupt);
    unsubscribe();
    line.end();
  }
}
