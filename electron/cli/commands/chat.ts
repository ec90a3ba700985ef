import type { Command } from "commander";
import readline from "node:readline/promises";
import type { LoadSettings, Message, ModelEntry, SamplingSettings } from "../../shared/contract";
import type { ChatJsonOutput } from "../../shared/cliSchemas";
import { HearthError } from "../../shared/errors";
import { parseRemoteModelId, remoteModelId } from "../../shared/remoteIds";
import type { Core } from "../../core/createCore";
import { withCore } from "../context";
import { dim, printError, printJson, UsageError } from "../output";
import { decimal, gpuLayers, integer, nonEmpty, oneOf } from "../parsers";

interface ChatOptions {
  model?: string;
  prompt?: string;
  system?: string;
  conversation?: string;
  maxTokens?: number;
  temperature?: number;
  topK?: number;
  topP?: number;
  minP?: number;
  repeatPenalty?: number;
  seed?: number;
  stop?: string[];
  ctx?: number;
  gpu?: LoadSettings["gpuLayers"];
  threads?: number;
  batch?: number;
  flashAttn?: boolean;
  mmap?: boolean;
  backend?: "auto" | "cpu";
  overflow?: "dropOldest" | "error";
  json?: boolean;
}

export function registerChat(program: Command): void {
  program
    .command("chat")
    .description("chat with a model: one turn with --prompt, or an interactive session")
    .option("-m, --model <file-or-id>", "a library model id or a path to a .gguf file")
    .option("-p, --prompt <text>", "send one message, print the reply and exit", nonEmpty("prompt"))
    .option("--system <text>", "system prompt (kept with the conversation)")
    .option("-c, --conversation <id>", "continue a stored conversation")
    .option("--max-tokens <n>", "most tokens to generate", integer(1, 1_000_000))
    .option("--temperature <t>", "sampling temperature (0 = greedy)", decimal(0, 5))
    .option("--top-k <k>", "top-k sampling (0 = off)", integer(0, 10_000))
    .option("--top-p <p>", "top-p (nucleus) sampling", decimal(0, 1))
    .option("--min-p <p>", "min-p sampling", decimal(0, 1))
    .option("--repeat-penalty <r>", "repeat penalty (1 = off)", decimal(0.5, 5))
    .option("--seed <s>", "random seed, for repeatable replies", integer(0, 4_294_967_295))
    .option("--stop <text>", "stop when this text is generated (repeatable)", (value: string, previous: string[] = []) => [...previous, value])
    .option("--ctx <n>", "context size in tokens", integer(64, 4_194_304))
    .option("--gpu <layers>", "GPU layers: auto, off, or a number", gpuLayers)
    .option("--threads <n>", "CPU threads (default: physical cores)", integer(1, 1024))
    .option("--batch <n>", "batch size", integer(1, 65_536))
    .option("--flash-attn", "use flash attention")
    .option("--no-mmap", "read the weights into memory instead of mapping the file")
    .option("--backend <backend>", "auto (GPU when available) or cpu", oneOf(["auto", "cpu"] as const))
    .option("--overflow <policy>", "when history outgrows the context: dropOldest (and say so) or error", oneOf(["dropOldest", "error"] as const))
    .option("--json", "with --prompt: print one JSON object with the reply and its stats")
    .addHelpText(
      "after",
      `
Examples:
  $ hearth chat --model ./stories260K.gguf --prompt "Once upon a time" --max-tokens 64
  $ hearth chat --model stories260k --json --prompt "Hello" --seed 1
  $ hearth chat --conversation 3f2a…            # continue interactively; Ctrl-C stops a reply, again quits`,
    )
    .action(async (options: ChatOptions, command: Command) => {
      if (options.json && options.prompt === undefined) throw new UsageError("--json needs --prompt.");
      if (!options.model && !options.conversation) throw new UsageError("Give --model (a library id or a .gguf file), or --conversation to continue one.");
      await withCore(command, (core) => runChat(core, options), { backend: options.backend });
    });
}

async function runChat(core: Core, options: ChatOptions): Promise<void> {
  const conversation = options.conversation ? core.conversations.getConversation(options.conversation) : null;
  const modelRef = options.model ?? conversation?.modelId;
  if (!modelRef) throw new UsageError("This conversation has no model: give --model.");
  if (parseRemoteModelId(modelRef)) return runTurns(core, options, conversation?.id, await remoteChatModel(core, modelRef, options.json));
  const model = await core.library.resolve(modelRef);
  const loadSettings: Partial<LoadSettings> = {
    ...(options.ctx !== undefined && { contextSize: options.ctx }),
    ...(options.gpu !== undefined && { gpuLayers: options.gpu }),
    ...(options.threads !== undefined && { threads: options.threads }),
    ...(options.batch !== undefined && { batchSize: options.batch }),
    ...(options.flashAttn && { flashAttention: true }),
    ...(options.mmap === false && { useMmap: false }),
  };
  if (!options.json) process.stderr.write(dim(`Loading ${model.name}…\n`));
  const { loadLibraryModel } = await import("../../core/engine/loadLibraryModel");
  const loaded = await loadLibraryModel(core.engine, core.library, model.id, loadSettings);
  if (!options.json)
    process.stderr.write(dim(`${model.name} · ${loaded.result.backend} · ${loaded.result.contextSize} ctx · ${loaded.result.threads} threads\n`));

  return runTurns(core, options, conversation?.id, model);
}

/** Points the chat at a remote engine's model (`remote:NAME:MODEL`, the engine by name or id). */
async function remoteChatModel(core: Core, ref: string, quiet = false): Promise<ChatModel> {
  const target = core.remotes.target(ref);
  const id = remoteModelId(target.engineId, target.model);
  await core.engine.loadModel(id);
  if (!quiet) process.stderr.write(dim(`${target.model} · remote · ${target.engineName} (${target.baseUrl})\n`));
  return { id, name: `${target.model} · ${target.engineName}`, path: target.baseUrl };
}

async function runTurns(core: Core, options: ChatOptions, conversationId: string | undefined, model: ChatModel): Promise<void> {
  const sampling: SamplingSettings = {
    ...(options.maxTokens !== undefined && { maxTokens: options.maxTokens }),
    ...(options.temperature !== undefined && { temperature: options.temperature }),
    ...(options.topK !== undefined && { topK: options.topK }),
    ...(options.topP !== undefined && { topP: options.topP }),
    ...(options.minP !== undefined && { minP: options.minP }),
    ...(options.repeatPenalty !== undefined && { repeatPenalty: options.repeatPenalty }),
    ...(options.seed !== undefined && { seed: options.seed }),
    ...(options.stop && { stop: options.stop }),
  };
  const turn = { core, model, sampling, system: options.system, overflow: options.overflow ?? "dropOldest" } as const;

  if (options.prompt !== undefined) {
    const result = await sendTurn(turn, conversationId, options.prompt, { stream: !options.json });
    if (options.json) printJson(toJson(result, model));
    if (result.errorMessage) throw HearthError.fromData(result.errorMessage);
    return;
  }
  await interactive(turn, conversationId);
}

/** The model a chat runs on: a library model, or a remote engine's (its address as its path). */
type ChatModel = Pick<ModelEntry, "id" | "name" | "path">;

interface Turn {
  core: Core;
  model: ChatModel;
  sampling: SamplingSettings;
  system?: string;
  overflow: "dropOldest" | "error";
}

interface TurnResult {
  conversationId: string;
  message: Message;
  errorMessage: ReturnType<HearthError["toData"]> | null;
}

async function sendTurn(
  turn: Turn,
  conversationId: string | undefined,
  text: string,
  io: { stream: boolean; onStart?: (requestId: string) => void },
): Promise<TurnResult> {
  const { parseInput } = await import("../../core/api/handlers");
  const input = parseInput("chat.send", {
    conversationId,
    text,
    modelId: turn.model.id,
    systemPrompt: turn.system,
    sampling: turn.sampling,
    overflow: turn.overflow,
  });
  const unsubscribe = turn.core.chat.onPacket((packet) => {
    if (packet.requestId !== requestId) return;
    if (packet.type === "token" && io.stream) {
      if (packet.segment === "thought") process.stderr.write(dim(packet.text));
      else process.stdout.write(packet.text);
    } else if (packet.type === "notice") {
      process.stderr.write(`\n${packet.notice.message}\n`);
    }
  });
  let requestId = "";
  try {
    const started = await turn.core.chat.send(input);
    requestId = started.requestId;
    io.onStart?.(requestId);
    const outcome = await turn.core.chat.wait(requestId);
    if (io.stream) {
      const m = outcome.message;
      const stats = [
        m.tokensPerSecond !== null ? `${m.tokensPerSecond.toFixed(1)} tok/s` : null,
        m.timeToFirstTokenMs !== null ? `${Math.round(m.timeToFirstTokenMs)} ms to first token` : null,
        m.completionTokens !== null ? `${m.completionTokens} tokens` : null,
        m.stopReason,
      ].filter(Boolean);
      process.stdout.write("\n");
      process.stderr.write(dim(`[${stats.join(" · ")}]\n`));
    }
    return { conversationId: started.conversationId, message: outcome.message, errorMessage: outcome.error };
  } finally {
    unsubscribe();
  }
}

async function interactive(turn: Turn, conversationId: string | undefined): Promise<void> {
  const rl = readline.createInterface({ input: process.stdin, output: process.stdout });
  let current: string | null = null;
  let quitting = false;
  const question = new AbortController();
  // First Ctrl-C stops the reply in progress; a Ctrl-C with no reply running quits.
  const onInterrupt = () => {
    if (current) {
      turn.core.chat.abort(current);
      current = null;
    } else {
      quitting = true;
      question.abort();
    }
  };
  rl.on("SIGINT", onInterrupt);
  rl.on("close", () => {
    quitting = true;
    question.abort();
  });
  process.on("SIGINT", onInterrupt);
  process.stderr.write(dim("Type a message and press Enter. Ctrl-C stops a reply; Ctrl-C again (or /exit) quits.\n"));
  try {
    while (!quitting) {
      let line: string;
      try {
        line = await rl.question("> ", { signal: question.signal });
      } catch {
        break; // Ctrl-C at the prompt, or end of input
      }
      if (line.trim() === "/exit") break;
      if (line.trim().length === 0) continue;
      let result: TurnResult;
      try {
        result = await sendTurn(turn, conversationId, line, { stream: true, onStart: (id) => (current = id) });
      } catch (error) {
        // A message refused before it was stored (too long for the context, say): say so, go on.
        if (!(error instanceof HearthError)) throw error;
        current = null;
        printError(error);
        continue;
      }
      current = null;
      conversationId = result.conversationId;
      if (result.errorMessage) process.stderr.write(`hearth: ${result.errorMessage.message}\n`);
    }
  } finally {
    process.off("SIGINT", onInterrupt);
    rl.close();
    if (conversationId) process.stderr.write(dim(`Conversation saved: ${conversationId}\n`));
  }
}

function toJson(result: TurnResult, model: ChatModel): ChatJsonOutput {
  const m = result.message;
  return {
    conversationId: result.conversationId,
    messageId: m.id,
    text: m.content,
    thinking: m.thinking,
    promptTokens: m.promptTokens,
    completionTokens: m.completionTokens,
    timeToFirstTokenMs: m.timeToFirstTokenMs,
    tokensPerSecond: m.tokensPerSecond,
    stopReason: m.stopReason,
    model: { id: model.id, name: model.name, path: model.path },
  };
}
