import { randomUUID } from "node:crypto";
import { HearthError } from "../../shared/errors";
import type { ChatRequest, HistoryItem, ToolCall, ToolCallTurn } from "../engine/protocol";
import { type ChatCompletionRequest, type ChatMessage, messageText } from "./openAiSchemas";

/**
 * OpenAI's tool calling in the engine's terms: the conversation's turns (an assistant's
 * `tool_calls`, each answered by a `tool` message with its id), the tools and the choice among
 * them, and the calls a reply makes, in OpenAI's shape.
 */

/** The conversation without its system messages, each tool result joined to the call it answers. */
export function historyOf(messages: ChatMessage[]): HistoryItem[] {
  const history: HistoryItem[] = [];
  // Calls made and not yet answered, by id: every one must be, before the next turn.
  const open = new Map<string, ToolCallTurn>();
  const requireAnswered = () => {
    const missing = [...open.keys()];
    if (missing.length) throw new HearthError("INVALID_INPUT", `messages: tool call ${missing[0]} has no tool message answering it.`);
  };
  // Whether the last message was a tool result: an assistant message after one goes on in the same turn.
  let afterResults = false;
  for (const message of messages) {
    if (message.role === "system" || message.role === "developer") continue;
    afterResults = afterResults && (message.role === "tool" || message.role === "assistant");
    if (message.role === "tool") {
      const call = message.tool_call_id ? open.get(message.tool_call_id) : undefined;
      if (!call)
        throw new HearthError(
          "INVALID_INPUT",
          `messages: a tool message answers ${message.tool_call_id ?? "no tool_call_id"}, which no assistant message called.`,
        );
      call.result = resultOf(messageText(message.content));
      open.delete(message.tool_call_id!);
      afterResults = true;
      continue;
    }
    requireAnswered();
    if (message.role === "user") {
      history.push({ role: "user", text: messageText(message.content) });
      continue;
    }
    const text = messageText(message.content);
    const toolCalls = (message.tool_calls ?? []).map((call) => {
      const turn: ToolCallTurn = { name: call.function.name, params: argumentsOf(call.id, call.function.arguments), result: null };
      if (open.has(call.id)) throw new HearthError("INVALID_INPUT", `messages: tool call id ${call.id} is used twice.`);
      open.set(call.id, turn);
      return turn;
    });
    if (toolCalls.length && text) toolCalls[0]!.textBefore = text;
    const turn = history.at(-1);
    if (afterResults && turn?.role === "assistant" && turn.toolCalls?.length && turn.text === "") {
      // The same turn, after the results: more calls (a new batch), or the answer.
      if (toolCalls.length) {
        toolCalls[0]!.startsNewChunk = true;
        turn.toolCalls.push(...toolCalls);
      } else turn.text = text;
    } else if (toolCalls.length) history.push({ role: "assistant", text: "", toolCalls });
    else history.push({ role: "assistant", text });
    afterResults = false;
  }
  requireAnswered();
  return history;
}

/** The tools a request offers and how the model may use them; none when it offers none or says "none". */
export function toolsOf(body: Pick<ChatCompletionRequest, "tools" | "tool_choice" | "response_format">): Pick<ChatRequest, "tools" | "toolChoice"> {
  const tools = body.tools ?? [];
  const choice = body.tool_choice ?? "auto";
  if (tools.length === 0) {
    if (choice !== "auto" && choice !== "none") throw new HearthError("INVALID_INPUT", "tool_choice asks for a tool, but tools lists none.");
    return {};
  }
  if (choice === "none") return {};
  const names = new Set<string>();
  for (const tool of tools) {
    if (names.has(tool.function.name)) throw new HearthError("INVALID_INPUT", `tools: ${tool.function.name} is listed twice.`);
    names.add(tool.function.name);
  }
  if (typeof choice === "object" && !names.has(choice.function.name)) {
    throw new HearthError("INVALID_INPUT", `tool_choice names ${choice.function.name}, which is not among the tools.`);
  }
  if (body.response_format && body.response_format.type !== "text") {
    throw new HearthError("INVALID_INPUT", "A reply can follow response_format or call tools, not both.");
  }
  return {
    tools: tools.map((tool) => ({
      name: tool.function.name,
      ...(tool.function.description ? { description: tool.function.description } : {}),
      ...(tool.function.parameters ? { parameters: tool.function.parameters } : {}),
    })),
    toolChoice: typeof choice === "object" ? { name: choice.function.name } : choice,
  };
}

/** A reply's calls as OpenAI's `tool_calls`, each with a fresh id the caller answers by. */
export function toolCallsOut(calls: ToolCall[]) {
  return calls.map((call) => ({
    id: `call_${randomUUID().replaceAll("-", "")}`,
    type: "function" as const,
    function: { name: call.name, arguments: JSON.stringify(call.params ?? {}) },
  }));
}

function argumentsOf(id: string, text: string): unknown {
  if (text.trim() === "") return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new HearthError("INVALID_INPUT", `messages: the arguments of tool call ${id} are not JSON.`);
  }
}

/** A tool's answer: JSON when it is JSON (the model sees it as such), else its text. */
function resultOf(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
