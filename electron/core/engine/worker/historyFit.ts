import type { ChatHistoryItem, ChatModelResponse } from "node-llama-cpp";
import type { OverflowPolicy } from "../../../shared/contract";
import { HearthError } from "../../../shared/errors";
import type { HistoryItem } from "../protocol";

export function toChatHistory(systemPrompt: string | null, items: HistoryItem[]): ChatHistoryItem[] {
  const history: ChatHistoryItem[] = [];
  if (systemPrompt?.trim()) history.push({ type: "system", text: systemPrompt });
  for (const item of items) {
    if (item.role === "system") history.push({ type: "system", text: item.text });
    else if (item.role === "user") history.push({ type: "user", text: item.text });
    else history.push({ type: "model", response: modelResponse(item) });
  }
  return history;
}

/** An assistant turn as node-llama-cpp keeps it: its text and its calls (with their results) in the order they came. */
function modelResponse(item: HistoryItem): ChatModelResponse["response"] {
  const response: ChatModelResponse["response"] = [];
  for (const call of item.toolCalls ?? []) {
    if (call.textBefore) response.push(call.textBefore);
    response.push({
      type: "functionCall",
      name: call.name,
      params: call.params,
      result: call.result,
      ...(call.startsNewChunk ? { startsNewChunk: true } : {}),
    });
  }
  if (item.text || response.length === 0) response.push(item.text);
  return response;
}

/** Whether the history ends in calls whose results are in and whose answer is still to come: the reply goes on in that turn. */
export function endsInAnsweredCalls(items: HistoryItem[]): boolean {
  const last = items.at(-1);
  return last?.role === "assistant" && (last.toolCalls?.length ?? 0) > 0 && last.text === "";
}

/** Tokens kept free for the reply: what it may write, at most a quarter of the context. */
export function replyReserve(contextSize: number, maxTokens: number | undefined): number {
  return Math.min(maxTokens ?? 256, Math.floor(contextSize / 4));
}

export interface FitResult {
  history: ChatHistoryItem[];
  promptTokens: number;
  droppedMessages: number;
}

/**
 * Makes the history fit the context with `reserve` tokens left to answer. The policy is
 * explicit: `error` refuses, `dropOldest` leaves out the oldest turns (system prompt and the
 * newest message always stay) and reports how many, so the user is told.
 */
export function fitHistory(options: {
  history: ChatHistoryItem[];
  contextSize: number;
  reserve: number;
  policy: OverflowPolicy;
  countTokens: (history: ChatHistoryItem[]) => number;
}): FitResult {
  const { contextSize, reserve, policy, countTokens } = options;
  const budget = contextSize - reserve;
  let history = options.history;
  let promptTokens = countTokens(history);
  if (promptTokens <= budget) return { history, promptTokens, droppedMessages: 0 };

  const overflow = (tokens: number) =>
    new HearthError(
      "CONTEXT_OVERFLOW",
      `The conversation needs ${tokens} tokens but the context holds ${contextSize} (with ${reserve} kept free for the reply).`,
    );
  if (policy === "error") throw overflow(promptTokens);

  const systemCount = history.findIndex((item) => item.type !== "system");
  const pinned = history.slice(0, systemCount === -1 ? history.length : systemCount);
  let rest = history.slice(pinned.length);
  let dropped = 0;
  while (promptTokens > budget && rest.length > 1) {
    // Drop a whole turn (user message and its reply) at a time, so roles keep alternating.
    const cut = rest[0]!.type === "user" && rest[1]?.type === "model" && rest.length > 2 ? 2 : 1;
    rest = rest.slice(cut);
    dropped += cut;
    history = [...pinned, ...rest];
    promptTokens = countTokens(history);
  }
  if (promptTokens > budget) throw overflow(promptTokens);
  return { history, promptTokens, droppedMessages: dropped };
}
