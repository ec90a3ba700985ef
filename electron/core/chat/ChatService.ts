import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import type { Citation, Passage } from "../../shared/documents";
import { fitCitations, numberedPassages, toCitation } from "../documents/grounding";
import type { AppSettings, CallParsedInput, ChatPacket, ChatStarted, Conversation, Message, OverflowPolicy, SamplingSettings } from "../../shared/contract";
import { defaultSampling } from "../../shared/defaults";
import { HearthError, toErrorData, type HearthErrorData } from "../../shared/errors";
import type { ChatEngine } from "../engine/ChatEngine";
import { replyReserve } from "../engine/worker/historyFit";
import type { HistoryItem } from "../engine/protocol";
import type { ModelLibrary } from "../models/ModelLibrary";
import { type ConversationStore, DEFAULT_TITLE, type ReplyOrigin, type StartedTurn, titleFrom } from "../store/ConversationStore";
import type { SettingsStore } from "../store/SettingsStore";

/** What a reply can draw on from document collections. */
export interface Grounding {
  hasCollection(id: string): boolean;
  search(collectionId: string, query: string, options: { limit: number }): Promise<Passage[]>;
}

export interface ReplyOutcome {
  message: Message;
  error: HearthErrorData | null;
}

/** Tokens a chat template may add around the system prompt and the message. */
const TEMPLATE_ROOM = 64;

/** Characters of the first question and answer a title suggestion is written from. */
const TITLE_EXCERPT = 600;

/** How often a streaming reply is written to SQLite: what a crash can lose at most. */
const SAVE_INTERVAL_MS = 100;

/**
 * A chat turn end to end: stores the user message, streams the reply from the engine, saves it
 * as it grows, and records what produced it. Replies stream as packets to every listener.
 */
export class ChatService {
  private readonly running = new Map<string, Promise<ReplyOutcome>>();
  private readonly listeners = new Set<(packet: ChatPacket) => void>();

  constructor(
    private readonly store: ConversationStore,
    private readonly library: ModelLibrary,
    private readonly engine: ChatEngine,
    private readonly settings: SettingsStore,
    /** Document search, for conversations that answer from collections. */
    private readonly documents: Grounding | null = null,
  ) {}

  onPacket(listener: (packet: ChatPacket) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async send(input: CallParsedInput<"chat.send">): Promise<ChatStarted> {
    const existing = input.conversationId ? this.store.getConversation(input.conversationId) : null;
    // The model first: a chat that cannot start leaves no empty conversation behind.
    const modelId = await this.prepareModel(input.modelId ?? existing?.modelId);
    const planned = replySettings(
      { systemPrompt: input.systemPrompt ?? existing?.systemPrompt ?? null, sampling: { ...existing?.sampling, ...input.sampling } },
      this.settings.get(),
      this.library.find(modelId)?.samplingDefaults ?? null,
    );
    // Nothing is stored for a message that could never fit: the rest of the history can be left
    // out of a prompt, but not the system prompt and the message itself.
    await this.assertFits(input.text, planned.systemPrompt, planned.sampling.maxTokens);
    const sources = await this.groundingFor(input.collectionIds ?? existing?.collectionIds ?? [], input.text, planned);
    const turn = this.store.startTurn({
      conversationId: existing?.id ?? null,
      settings: { modelId, systemPrompt: input.systemPrompt, sampling: input.sampling, collectionIds: input.collectionIds },
      parentId: input.parentId,
      text: input.text,
      origin: this.replyOrigin(planned.sampling),
    });
    return this.startReply(turn, planned, input.overflow, sources);
  }

  private async assertFits(text: string, systemPrompt: string | null, maxTokens: number | undefined): Promise<void> {
    const contextSize = this.engine.state.contextSize;
    if (!contextSize) return;
    const budget = contextSize - replyReserve(contextSize, maxTokens);
    // A token is at least one byte: a text with fewer bytes than the budget (less room for the
    // chat template) fits without asking the engine to count.
    const bytes = Buffer.byteLength(text) + Buffer.byteLength(systemPrompt ?? "");
    if (bytes + TEMPLATE_ROOM <= budget) return;
    const tokens = (await this.engine.tokenize(text)).length + (systemPrompt ? (await this.engine.tokenize(systemPrompt)).length : 0);
    if (tokens + TEMPLATE_ROOM <= budget) return;
    throw new HearthError(
      "CONTEXT_OVERFLOW",
      `The message${systemPrompt ? " and the system prompt" : ""} take ${tokens.toLocaleString("en-US")} tokens; the context holds ${contextSize.toLocaleString("en-US")}, with ${(contextSize - budget).toLocaleString("en-US")} kept for the reply. Nothing was saved.`,
      { suggestion: "Shorten the message, or load the model with a larger context." },
    );
  }

  /** A new reply to the same user message, as a sibling branch of `messageId`. */
  async regenerate(input: CallParsedInput<"chat.regenerate">): Promise<ChatStarted> {
    const previous = this.store.getMessage(input.messageId);
    if (previous.role !== "assistant" || !previous.parentId) {
      throw new HearthError("INVALID_INPUT", "Only an assistant reply can be regenerated.");
    }
    const { conversation, planned } = await this.planAgain(previous, input.sampling);
    const question = this.store.getMessage(previous.parentId).content;
    const sources = await this.groundingFor(conversation.collectionIds, question, planned);
    const turn = this.store.startRegeneration(previous.parentId, this.replyOrigin(planned.sampling));
    return this.startReply(turn, planned, input.overflow, sources);
  }

  /** Writes on from where a reply stopped (its token limit, or Stop), into the same message. */
  async continue(input: CallParsedInput<"chat.continue">): Promise<ChatStarted> {
    const previous = this.store.getMessage(input.messageId);
    const { planned } = await this.planAgain(previous, input.sampling);
    const turn = this.store.startContinuation(previous.id);
    // Answered from the same passages it cited, so it goes on from the same sources.
    const sources = previous.citations?.length ? { citations: previous.citations, quoteLimit: null } : null;
    return this.startReply(turn, planned, input.overflow, sources, previous);
  }

  /**
   * A title for the conversation, written by the loaded model from its first exchange; offered to
   * the user (who may keep or change it), never set on its own.
   */
  async suggestTitle(conversationId: string): Promise<string> {
    const conversation = this.store.getConversation(conversationId);
    const branch = this.store.branch(conversation.activeLeafId);
    const question = branch.find((m) => m.role === "user");
    if (!question) throw new HearthError("INVALID_INPUT", "The conversation has no message to name it by yet.");
    if (!this.engine.loadedModel) {
      throw new HearthError("MODEL_NOT_LOADED", "No model is loaded to suggest a title.", { suggestion: "Load a model, then ask again." });
    }
    const answer = branch.find((m) => m.role === "assistant" && m.parentId === question.id)?.content ?? "";
    const excerpt = (text: string) => (text.length > TITLE_EXCERPT ? `${text.slice(0, TITLE_EXCERPT)}…` : text);
    let text = "";
    const { result } = this.engine.chat(
      {
        history: [
          {
            role: "user",
            text: `Write a title of at most six words for this conversation. Answer with the title only.\n\nUser: ${excerpt(question.content)}\n\nAssistant: ${excerpt(answer)}`,
          },
        ],
        sampling: { maxTokens: 24, temperature: 0.2, seed: 1, stop: ["\n\n"] },
        systemPrompt: "You name conversations with short, plain titles.",
        overflow: "dropOldest",
      },
      {
        onChunk: (delta, segment) => {
          if (segment === "answer") text += delta;
        },
      },
    );
    await result;
    const title = titleFrom(text.replace(/^\s*(title|titre)\s*:\s*/i, "").replace(/^["'“”«»]+|["'“”«».]+$/g, ""));
    if (!text.trim() || title === DEFAULT_TITLE) {
      throw new HearthError("MODEL_OUTPUT", "The model wrote no title.", { suggestion: "Type one, or load a chat model and ask again." });
    }
    return title;
  }

  abort(requestId: string): void {
    this.engine.abort(requestId);
  }

  /** Stops the replies in progress and waits until each is stored as it ended (before the store closes). */
  async dispose(): Promise<void> {
    for (const requestId of this.running.keys()) this.engine.abort(requestId);
    await Promise.all(this.running.values());
  }

  /** Settles when the reply ends, however it ends. */
  wait(requestId: string): Promise<ReplyOutcome> {
    const running = this.running.get(requestId);
    if (!running) return Promise.reject(new HearthError("NOT_FOUND", `No reply in progress with id ${requestId}.`));
    return running;
  }

  /** For a new go at an existing reply: its conversation, its model loaded, and the settings it runs with. */
  private async planAgain(previous: Message, sampling: SamplingSettings | undefined) {
    const conversation = this.store.getConversation(previous.conversationId);
    const modelId = await this.prepareModel(conversation.modelId ?? previous.modelId);
    const planned = replySettings(
      { systemPrompt: conversation.systemPrompt, sampling: { ...conversation.sampling, ...sampling } },
      this.settings.get(),
      this.library.find(modelId)?.samplingDefaults ?? null,
    );
    return { conversation, planned };
  }

  private async prepareModel(requested: string | null | undefined): Promise<string> {
    const modelId = requested ?? this.engine.loadedModel?.id ?? null;
    if (!modelId) throw new HearthError("MODEL_NOT_LOADED", "No model is loaded and the conversation has none.", { suggestion: "Pick a model to chat with." });
    await this.engine.ensureModel(modelId);
    return modelId;
  }

  /** What the reply is made with, as stored with it. */
  private replyOrigin(sampling: SamplingSettings): ReplyOrigin {
    const engineState = this.engine.state;
    return {
      modelId: engineState.model?.id ?? null,
      modelName: engineState.model?.name ?? null,
      loadSettings: engineState.loadSettings ? { ...engineState.loadSettings, contextSize: engineState.contextSize ?? undefined } : null,
      sampling,
    };
  }

  /**
   * Streams the reply of a started turn. The text is built here, once, from the engine's deltas;
   * the engine's result brings only counts and times.
   */
  private startReply(
    turn: StartedTurn,
    planned: ReturnType<typeof replySettings>,
    overflow: OverflowPolicy,
    sources: Sources | null,
    /** The reply being continued: its text comes first, its tokens count in the total. */
    continued: Message | null = null,
  ): ChatStarted {
    const assistant = turn.reply;
    if (sources?.citations.length === 0) return this.answerWithoutSources(turn);
    const citations = sources?.citations ?? null;
    const history = turn.history.flatMap(toHistoryItem);
    const { sampling } = planned;
    let { systemPrompt } = planned;
    if (sources) {
      // This turn's question, with the passages to answer from; earlier turns keep their plain text.
      history[history.length - 1] = { role: "user", text: groundedQuestion(history.at(-1)!.text, sources.citations, sources.quoteLimit) };
      systemPrompt = systemPrompt ? `${systemPrompt}\n\n${GROUNDING_INSTRUCTIONS}` : GROUNDING_INSTRUCTIONS;
    }
    const started = performance.now();
    let firstChunkAt: number | null = null;
    let text = continued?.content ?? "";
    let thinking = continued?.thinking ?? "";
    const earlierTokens = continued?.completionTokens ?? 0;
    const saver = createThrottledSaver(() => this.store.saveStreamingText(assistant.id, text, thinking || null));

    const { id: requestId, result } = this.engine.chat(
      { history, sampling, systemPrompt, overflow, ...(continued ? { continueFrom: continued.content } : {}) },
      {
        onChunk: (delta, segment) => {
          firstChunkAt ??= performance.now();
          if (segment === "thought") thinking += delta;
          else text += delta;
          saver.schedule();
          this.emit({ type: "token", requestId, text: delta, segment });
        },
        onTrimmed: (droppedMessages) =>
          this.emit({
            type: "notice",
            requestId,
            notice: {
              kind: "contextTrimmed",
              droppedMessages,
              message: `The conversation is longer than the context: the ${droppedMessages} oldest message(s) were left out of this reply's prompt.`,
            },
          }),
      },
    );

    const outcome = result.then(
      (reply): ReplyOutcome => {
        saver.cancel();
        // Speed on the engine's own clock, first to last token (as llama.cpp and the arena count
        // it): the host's clock would add the last message's trip through IPC to the span.
        const generationSeconds = reply.firstTokenMs !== null && reply.lastTokenMs !== null ? (reply.lastTokenMs - reply.firstTokenMs) / 1000 : 0;
        const message = this.store.finishMessage(assistant.id, {
          content: text,
          thinking: thinking || null,
          status: "complete",
          promptTokens: reply.promptTokens,
          evaluatedPromptTokens: reply.evaluatedPromptTokens,
          completionTokens: earlierTokens + reply.completionTokens,
          timeToFirstTokenMs: firstChunkAt === null ? null : firstChunkAt - started,
          // N sampled tokens span N-1 intervals after the first one arrived (this run's, for a continued reply).
          tokensPerSecond: generationSeconds > 0 && reply.completionTokens > 1 ? (reply.completionTokens - 1) / generationSeconds : null,
          stopReason: reply.stopReason,
          errorCode: null,
          droppedMessages: reply.droppedMessages,
          citations,
        });
        this.emit({ type: "done", requestId, message });
        return { message, error: null };
      },
      (error: unknown): ReplyOutcome => {
        saver.cancel();
        const data = toErrorData(error);
        const aborted = data.code === "ABORTED";
        const message = this.store.finishMessage(assistant.id, {
          content: text,
          thinking: thinking || null,
          status: aborted ? "complete" : "interrupted",
          promptTokens: null,
          evaluatedPromptTokens: null,
          completionTokens: null,
          timeToFirstTokenMs: firstChunkAt === null ? null : firstChunkAt - started,
          tokensPerSecond: null,
          stopReason: aborted ? "aborted" : "error",
          errorCode: aborted ? null : data.code,
          droppedMessages: null,
          citations,
        });
        if (aborted) {
          this.emit({ type: "done", requestId, message });
          return { message, error: null };
        }
        this.emit({ type: "error", requestId, error: data, message });
        return { message, error: data };
      },
    );
    this.running.set(requestId, outcome);
    // Kept a while after it ends, so a caller that asks late still gets the outcome.
    void outcome.finally(() => setTimeout(() => this.running.delete(requestId), 60_000).unref());

    return {
      requestId,
      conversationId: turn.conversation.id,
      userMessageId: turn.placed.length > 1 ? turn.userMessage.id : null,
      assistantMessageId: assistant.id,
      conversation: turn.conversation,
      messages: turn.placed,
    };
  }

  /**
   * Passages to answer from when the conversation answers from document collections (null when
   * it does not): the best of each collection, merged by score, as many as fit the context with
   * the question, the instructions and the reply's room (counted by the model's tokenizer). A
   * single passage too long for a small context is shown cut (its citation stays whole).
   */
  private async groundingFor(collectionIds: string[], question: string, planned: ReturnType<typeof replySettings>): Promise<Sources | null> {
    if (collectionIds.length === 0 || !this.documents) return null;
    const { documents } = this;
    const known = collectionIds.filter((id) => documents.hasCollection(id));
    const found = (await Promise.all(known.map((id) => documents.search(id, question, { limit: MAX_SOURCES })))).flat();
    found.sort((a, b) => b.score - a.score);
    const citations = found.slice(0, MAX_SOURCES).map((p, i) => toCitation(p, i + 1));
    const contextSize = this.engine.state.contextSize;
    if (!contextSize || citations.length === 0) return { citations, quoteLimit: null };
    const system = planned.systemPrompt ? `${planned.systemPrompt}\n\n${GROUNDING_INSTRUCTIONS}` : GROUNDING_INSTRUCTIONS;
    const budget = contextSize - replyReserve(contextSize, planned.sampling.maxTokens) - TEMPLATE_ROOM - (await this.engine.tokenize(system)).length;
    return fitCitations(citations, async (list, limit) => (await this.engine.tokenize(groundedQuestion(question, list, limit))).length <= budget);
  }

  /** A conversation with documents whose collections hold nothing about the question: it says so, and nothing is made up. */
  private answerWithoutSources(turn: StartedTurn): ChatStarted {
    const requestId = randomUUID();
    const message = this.store.finishMessage(turn.reply.id, {
      content: NOTHING_FOUND,
      thinking: null,
      status: "complete",
      promptTokens: null,
      evaluatedPromptTokens: null,
      completionTokens: null,
      timeToFirstTokenMs: null,
      tokensPerSecond: null,
      stopReason: "eos",
      errorCode: null,
      droppedMessages: null,
      citations: [],
    });
    const outcome = Promise.resolve({ message, error: null });
    this.running.set(requestId, outcome);
    // After the call's answer has gone out: a listener learns of the reply before it ends.
    setTimeout(() => {
      this.emit({ type: "token", requestId, text: NOTHING_FOUND, segment: "answer" });
      this.emit({ type: "done", requestId, message });
    }, 0);
    void outcome.finally(() => setTimeout(() => this.running.delete(requestId), 60_000).unref());
    return {
      requestId,
      conversationId: turn.conversation.id,
      userMessageId: turn.placed.length > 1 ? turn.userMessage.id : null,
      assistantMessageId: turn.reply.id,
      conversation: turn.conversation,
      messages: turn.placed,
    };
  }

  private emit(packet: ChatPacket): void {
    for (const listener of this.listeners) listener(packet);
  }
}

/**
 * What a reply runs with: the conversation's sampling (with the request's over it) over the
 * model's own defaults, over the app's.
 */
function replySettings(
  conversation: Pick<Conversation, "systemPrompt" | "sampling">,
  appSettings: AppSettings,
  modelSampling: SamplingSettings | null,
): { sampling: SamplingSettings; systemPrompt: string | null } {
  return {
    sampling: { ...defaultSampling, ...appSettings.sampling, ...modelSampling, ...conversation.sampling },
    systemPrompt: conversation.systemPrompt ?? (appSettings.systemPrompt || null),
  };
}

/** The passages a reply answers from, and how much of each it is shown (null: all). */
interface Sources {
  citations: Citation[];
  quoteLimit: number | null;
}

/** Passages an answer may draw on, at most. */
const MAX_SOURCES = 6;

const GROUNDING_INSTRUCTIONS =
  "Answer only from the numbered passages given with the user's question. After each statement, cite the passage it comes from as [1], [2] and so on. If the passages do not answer the question, say that the documents do not answer it; do not guess.";

const NOTHING_FOUND = "The attached documents hold nothing about this question, so there is nothing to answer from.";

/** The question as the engine sees it: the numbered passages, then the question. */
function groundedQuestion(question: string, citations: Citation[], quoteLimit: number | null): string {
  return `Passages from my documents:\n\n${numberedPassages(citations, quoteLimit)}\n\nQuestion: ${question}`;
}

/** What the model sees of a stored message: empty or failed replies are left out. */
function toHistoryItem(message: Message): HistoryItem[] {
  if (message.role === "assistant" && (message.content.length === 0 || message.status === "error")) return [];
  return [{ role: message.role, text: message.content }];
}

/** Saves at most every SAVE_INTERVAL_MS while text streams, and soon after the last delta. */
function createThrottledSaver(save: () => void) {
  let timer: NodeJS.Timeout | null = null;
  return {
    schedule() {
      timer ??= setTimeout(() => {
        timer = null;
        save();
      }, SAVE_INTERVAL_MS);
    },
    cancel() {
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}
