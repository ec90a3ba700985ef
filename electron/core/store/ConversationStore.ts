import { randomUUID } from "node:crypto";
import type { BranchMessage, Conversation, ConversationChange, LoadSettings, Message, SamplingSettings, StopReason } from "../../shared/contract";
import { z } from "zod";
import { type Citation, citationSchema } from "../../shared/documents";
import { loadSettingsPatchSchema, MAX_VIEW_WINDOW, samplingSettingsSchema } from "../../shared/contract";
import { HearthError } from "../../shared/errors";
import { currentOwner, ownerAlive } from "../processOwner";
import { branchTo, indexTree, newestLeafUnder, siblingsOf, type TreeNode } from "../../shared/messageTree";
import type { Db } from "./openDatabase";
import { parseColumn } from "./jsonColumn";

export const DEFAULT_TITLE = "New chat";
const TITLE_LENGTH = 60;

interface ConversationRow {
  id: string;
  title: string;
  created_at: number;
  updated_at: number;
  model_id: string | null;
  system_prompt: string | null;
  sampling_json: string;
  active_leaf_id: string | null;
  message_count: number;
  collection_ids_json: string;
  row_order: number;
}

interface MessageRow {
  id: string;
  conversation_id: string;
  parent_id: string | null;
  role: Message["role"];
  content: string;
  thinking: string | null;
  status: Message["status"];
  created_at: number;
  updated_at: number;
  model_id: string | null;
  model_name: string | null;
  load_settings_json: string | null;
  sampling_json: string | null;
  prompt_tokens: number | null;
  evaluated_prompt_tokens: number | null;
  completion_tokens: number | null;
  ttft_ms: number | null;
  tokens_per_second: number | null;
  stop_reason: StopReason | null;
  error_code: string | null;
  dropped_messages: number | null;
  citations_json: string | null;
}

export interface NewMessage {
  conversationId: string;
  parentId: string | null;
  role: Message["role"];
  content: string;
  status?: Message["status"];
  modelId?: string | null;
  modelName?: string | null;
  loadSettings?: Partial<LoadSettings> | null;
  sampling?: SamplingSettings | null;
}

export interface ConversationPatch {
  modelId?: string | null;
  systemPrompt?: string | null;
  sampling?: SamplingSettings;
  activeLeafId?: string;
  collectionIds?: string[];
}

export interface FinishedReply {
  content: string;
  thinking: string | null;
  status: Exclude<Message["status"], "streaming">;
  promptTokens: number | null;
  evaluatedPromptTokens: number | null;
  completionTokens: number | null;
  timeToFirstTokenMs: number | null;
  tokensPerSecond: number | null;
  stopReason: StopReason | null;
  errorCode: string | null;
  droppedMessages: number | null;
  citations?: Citation[] | null;
}

/** The end of a conversation that opens with it: a screenful or two, whatever the conversation's length. */
export const DEFAULT_VIEW_WINDOW = 60;

/** What produced a reply, stored with it. */
export interface ReplyOrigin {
  modelId: string | null;
  modelName: string | null;
  loadSettings: Partial<LoadSettings> | null;
  sampling: SamplingSettings;
}

/** A turn as it starts: what the UI shows at once and what the engine is given. */
export interface StartedTurn {
  conversation: Conversation;
  userMessage: Message;
  /** The empty reply, streaming. */
  reply: Message;
  /** The new end of the branch, each with its place among its alternatives (the user message only when new). */
  placed: BranchMessage[];
  /** The branch from the root to the user message: the prompt's history. */
  history: Message[];
}

export interface BranchView {
  conversation: Conversation;
  branchLength: number;
  start: number;
  messages: BranchMessage[];
}

/** rowid breaks ties of updated_at (conversations made in the same millisecond), as the list does. */
const CONVERSATION_COLUMNS = `c.*, c.rowid AS row_order`;

/**
 * Conversations and their message trees. Every write is a single statement or a transaction; a
 * turn of chat is one write to start it (`startTurn`/`startRegeneration`) and one to finish it.
 * Every change to a conversation is announced (`onDidChange`), so lists follow without re-reading.
 */
export class ConversationStore {
  private readonly statements;
  private readonly changeListeners = new Set<(change: ConversationChange) => void>();

  constructor(private readonly db: Db) {
    this.statements = {
      getConversation: db.prepare<[string], ConversationRow>(`SELECT ${CONVERSATION_COLUMNS} FROM conversations c WHERE c.id = ?`),
      listConversations: db.prepare<[number], ConversationRow>(
        `SELECT ${CONVERSATION_COLUMNS} FROM conversations c ORDER BY c.updated_at DESC, c.rowid DESC LIMIT ?`,
      ),
      getMessage: db.prepare<[string], MessageRow>(`SELECT * FROM messages WHERE id = ?`),
      // From a message up to the root, nearest first: a branch in one query.
      branchUp: db.prepare<[string], MessageRow>(
        `WITH RECURSIVE up(id, depth) AS (SELECT ?, 0 UNION ALL SELECT m.parent_id, up.depth + 1 FROM messages m JOIN up ON m.id = up.id WHERE m.parent_id IS NOT NULL)
         SELECT messages.* FROM up JOIN messages ON messages.id = up.id ORDER BY up.depth DESC`,
      ),
      siblings: db.prepare<[string, string | null], { id: string }>(
        `SELECT id FROM messages WHERE conversation_id = ? AND parent_id IS ? ORDER BY created_at, rowid`,
      ),
      insertConversation: db.prepare(
        `INSERT INTO conversations (id, title, created_at, updated_at, model_id, system_prompt, sampling_json) VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ),
      updateConversation: db.prepare(
        `UPDATE conversations SET model_id = ?, system_prompt = ?, sampling_json = ?, active_leaf_id = ?, collection_ids_json = ? WHERE id = ?`,
      ),
      insertMessage: db.prepare(
        `INSERT INTO messages (id, conversation_id, parent_id, role, content, status, created_at, updated_at,
           model_id, model_name, load_settings_json, sampling_json, owner_pid, owner_started)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      moveLeaf: db.prepare(`UPDATE conversations SET active_leaf_id = ?, updated_at = ?, title = ? WHERE id = ?`),
      finishMessage: db.prepare(
        `UPDATE messages SET content = ?, thinking = ?, status = ?, updated_at = ?, prompt_tokens = ?, evaluated_prompt_tokens = ?,
           completion_tokens = ?, ttft_ms = ?, tokens_per_second = ?, stop_reason = ?, error_code = ?, dropped_messages = ?,
           citations_json = ? WHERE id = ?`,
      ),
      rename: db.prepare(`UPDATE conversations SET title = ?, updated_at = ? WHERE id = ?`),
      deleteConversation: db.prepare(`DELETE FROM conversations WHERE id = ?`),
      listMessages: db.prepare<[string], MessageRow>(`SELECT * FROM messages WHERE conversation_id = ? ORDER BY created_at, rowid`),
      // The tree's shape without the text: cheap to read even for thousands of messages.
      listShape: db.prepare<[string], TreeNode>(
        `SELECT id, parent_id AS parentId, role, created_at AS createdAt FROM messages WHERE conversation_id = ? ORDER BY created_at, rowid`,
      ),
      getMessages: db.prepare<[string], MessageRow>(`SELECT * FROM messages WHERE id IN (SELECT value FROM json_each(?))`),
      updateStreaming: db.prepare<[string, string | null, number, string]>(
        `UPDATE messages SET content = ?, thinking = ?, updated_at = ? WHERE id = ? AND status = 'streaming'`,
      ),
      touch: db.prepare<[number, string]>(`UPDATE conversations SET updated_at = ? WHERE id = ?`),
      getConversations: db.prepare<[string], ConversationRow>(
        `SELECT ${CONVERSATION_COLUMNS} FROM conversations c WHERE c.id IN (SELECT value FROM json_each(?))`,
      ),
      // Newest matching messages first: the search stops once it has enough conversations.
      searchMessages: db.prepare<[string], { conversation_id: string }>(
        `SELECT m.conversation_id FROM messages_fts JOIN messages m ON m.rowid = messages_fts.rowid WHERE messages_fts MATCH ? ORDER BY messages_fts.rowid DESC`,
      ),
    };
  }

  /** Hears every change to a conversation: created, renamed, re-set, a message added or finished, deleted. */
  onDidChange(listener: (change: ConversationChange) => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  createConversation(input: { title?: string; modelId?: string | null; systemPrompt?: string | null; sampling?: SamplingSettings } = {}): Conversation {
    const id = this.insertConversation(input);
    return this.changed(id);
  }

  getConversation(id: string): Conversation {
    const row = this.statements.getConversation.get(id);
    if (!row) throw new HearthError("NOT_FOUND", `No conversation with id ${id}.`, { suggestion: "List conversations to see their ids." });
    return conversationFromRow(row);
  }

  listConversations(limit = 1000): Conversation[] {
    return this.statements.listConversations.all(limit).map(conversationFromRow);
  }

  /**
   * Conversations whose title or any message matches every word of the query (prefix match),
   * newest first. Titles are matched with LIKE; messages through the full-text index, newest
   * matches first and only until `limit` conversations are found, so a common word costs no more
   * than a rare one. Words of one letter match titles only (in messages they match nearly all).
   */
  searchConversations(query: string, limit = 200): Conversation[] {
    // At most the 8 longest distinct words (the most selective): hundreds of one-letter words
    // would each cost a LIKE scan and a prefix query.
    const words = [...new Set(query.match(/[\p{L}\p{N}_]+/gu) ?? [])].sort((a, b) => b.length - a.length).slice(0, MAX_SEARCH_WORDS);
    if (words.length === 0) return this.listConversations(limit);
    const titleLike = words.map(() => "c.title LIKE ? ESCAPE '\\'").join(" AND ");
    const likeArgs = words.map((word) => `%${word.replace(/[%_\\]/g, (m) => `\\${m}`)}%`);
    const byTitle = this.db
      .prepare<unknown[], ConversationRow>(
        `SELECT ${CONVERSATION_COLUMNS} FROM conversations c WHERE ${titleLike} ORDER BY c.updated_at DESC, c.rowid DESC LIMIT ?`,
      )
      .all(...likeArgs, limit);
    const found = new Map(byTitle.map((row) => [row.id, row]));
    const textWords = words.filter((word) => word.length >= 2);
    if (textWords.length === words.length) {
      const inMessages = new Set<string>();
      const matches = this.statements.searchMessages.iterate(textWords.map((word) => `"${word}"*`).join(" "));
      for (const { conversation_id } of matches) {
        if (!found.has(conversation_id)) inMessages.add(conversation_id);
        if (inMessages.size >= limit) break;
      }
      for (const row of this.statements.getConversations.all(JSON.stringify([...inMessages]))) found.set(row.id, row);
    }
    return [...found.values()]
      .sort((a, b) => b.updated_at - a.updated_at || b.row_order - a.row_order)
      .slice(0, limit)
      .map(conversationFromRow);
  }

  renameConversation(id: string, title: string): Conversation {
    this.getConversation(id);
    this.statements.rename.run(title.trim(), Date.now(), id);
    return this.changed(id);
  }

  updateConversation(id: string, patch: ConversationPatch): Conversation {
    this.writeConversation(id, patch);
    return this.changed(id);
  }

  deleteConversation(id: string): void {
    const result = this.statements.deleteConversation.run(id);
    if (result.changes === 0) throw new HearthError("NOT_FOUND", `No conversation with id ${id}.`);
    this.emit({ type: "removed", id });
  }

  /** Adds a message and makes it the conversation's active leaf; the first user message names the chat. */
  addMessage(input: NewMessage): Message {
    const message = this.db.transaction(() => this.insertMessage(input))();
    this.changed(input.conversationId);
    return message;
  }

  /**
   * A turn's start in one transaction: the conversation (made when `conversationId` is null, its
   * model and settings updated when given), the user message below `parentId` (the active leaf
   * when undefined) and the empty streaming reply below it.
   */
  startTurn(input: {
    conversationId: string | null;
    settings: { modelId: string; systemPrompt?: string | null; sampling?: SamplingSettings; collectionIds?: string[] };
    parentId?: string | null;
    text: string;
    origin: ReplyOrigin;
  }): StartedTurn {
    const turn = this.db.transaction(() => {
      const { modelId, systemPrompt, sampling, collectionIds } = input.settings;
      let conversation: Conversation;
      if (input.conversationId === null) {
        conversation = this.getConversation(this.insertConversation({ modelId, systemPrompt, sampling }));
        if (collectionIds) conversation = this.writeConversation(conversation.id, { collectionIds });
      } else {
        conversation = this.getConversation(input.conversationId);
        if (systemPrompt !== undefined || sampling || collectionIds || conversation.modelId !== modelId) {
          conversation = this.writeConversation(conversation.id, {
            modelId,
            systemPrompt,
            sampling: sampling && { ...conversation.sampling, ...sampling },
            collectionIds,
          });
        }
      }
      const parentId = input.parentId !== undefined ? input.parentId : conversation.activeLeafId;
      const userMessage = this.insertMessage({ conversationId: conversation.id, parentId, role: "user", content: input.text });
      return this.addReply(userMessage, input.origin, true);
    })();
    this.emit({ type: "changed", conversation: turn.conversation });
    return turn;
  }

  /** A new reply to a user message, as the newest alternative below it. */
  startRegeneration(userMessageId: string, origin: ReplyOrigin): StartedTurn {
    const turn = this.db.transaction(() => this.addReply(this.getMessage(userMessageId), origin, false))();
    this.emit({ type: "changed", conversation: turn.conversation });
    return turn;
  }

  /**
   * A reply to write on from (Continue): marked streaming again, with the branch above it as the
   * prompt's history. Its text grows in place; no new message or branch is made.
   */
  startContinuation(replyId: string): StartedTurn {
    const turn = this.db.transaction(() => {
      const reply = this.getMessage(replyId);
      if (reply.role !== "assistant" || !reply.parentId) throw new HearthError("INVALID_INPUT", "Only an assistant reply can be continued.");
      if (reply.status === "streaming") throw new HearthError("INVALID_INPUT", "This reply is still being written.");
      this.statements.updateStreaming.run(reply.content, reply.thinking, Date.now(), reply.id);
      this.db.prepare(`UPDATE messages SET status = 'streaming' WHERE id = ?`).run(reply.id);
      const userMessage = this.getMessage(reply.parentId);
      return {
        conversation: this.getConversation(reply.conversationId),
        userMessage,
        reply: this.getMessage(reply.id),
        placed: [],
        history: this.branch(userMessage.id),
      };
    })();
    this.emit({ type: "changed", conversation: turn.conversation });
    return turn;
  }

  getMessage(id: string): Message {
    const row = this.statements.getMessage.get(id);
    if (!row) throw new HearthError("NOT_FOUND", `No message with id ${id}.`);
    return messageFromRow(row);
  }

  /** Every message of the conversation, all branches, oldest first. */
  listMessages(conversationId: string): Message[] {
    return this.statements.listMessages.all(conversationId).map(messageFromRow);
  }

  /** The branch from the root down to `leafId`, oldest first. */
  branch(leafId: string | null): Message[] {
    return leafId ? this.statements.branchUp.all(leafId).map(messageFromRow) : [];
  }

  /**
   * A window of the shown branch, each message with its place among its alternatives.
   * Without a range, the branch's last DEFAULT_VIEW_WINDOW messages: where the reader continues.
   */
  branchView(conversationId: string, range: { start?: number; end?: number } = {}): BranchView {
    const conversation = this.getConversation(conversationId);
    const tree = indexTree(this.statements.listShape.all(conversationId));
    const branch = branchTo(tree, conversation.activeLeafId);
    const end = Math.min(range.end ?? (range.start !== undefined ? range.start + DEFAULT_VIEW_WINDOW : branch.length), branch.length);
    const start = Math.max(0, end - MAX_VIEW_WINDOW, Math.min(range.start ?? end - DEFAULT_VIEW_WINDOW, end));
    const shown = branch.slice(start, end);
    const rows = new Map(this.statements.getMessages.all(JSON.stringify(shown.map((node) => node.id))).map((row) => [row.id, row]));
    const messages = shown.map((node) => {
      const siblings = siblingsOf(tree, node);
      return { ...messageFromRow(rows.get(node.id)!), branch: { index: siblings.indexOf(node), count: siblings.length } };
    });
    return { conversation, branchLength: branch.length, start, messages };
  }

  /** Shows the previous (-1) or next (+1) alternative of a message, down to the newest reply below it. */
  switchBranch(messageId: string, step: -1 | 1): Conversation {
    const message = this.getMessage(messageId);
    const tree = indexTree(this.statements.listShape.all(message.conversationId));
    const siblings = siblingsOf(tree, message);
    const target = siblings[siblings.findIndex((node) => node.id === messageId) + step];
    if (!target) throw new HearthError("INVALID_INPUT", `This message has no ${step < 0 ? "previous" : "next"} alternative.`);
    return this.updateConversation(message.conversationId, { activeLeafId: newestLeafUnder(tree, target).id });
  }

  /** Saves the growing text of a streaming reply; cheap enough to call several times a second. */
  saveStreamingText(messageId: string, content: string, thinking: string | null): void {
    this.statements.updateStreaming.run(content, thinking, Date.now(), messageId);
  }

  finishMessage(messageId: string, reply: FinishedReply): Message {
    const now = Date.now();
    this.statements.finishMessage.run(
      reply.content,
      reply.thinking,
      reply.status,
      now,
      reply.promptTokens,
      reply.evaluatedPromptTokens,
      reply.completionTokens,
      reply.timeToFirstTokenMs,
      reply.tokensPerSecond,
      reply.stopReason,
      reply.errorCode,
      reply.droppedMessages,
      reply.citations ? JSON.stringify(reply.citations) : null,
      messageId,
    );
    const message = this.getMessage(messageId);
    this.statements.touch.run(now, message.conversationId);
    this.changed(message.conversationId);
    return message;
  }

  /**
   * Replies left 'streaming' by a process that is gone (crashed, killed) become interrupted, their
   * text kept; those another live Hearth on this data folder is still writing are left alone.
   */
  markAbandonedStreamsInterrupted(): number {
    const streaming = this.db
      .prepare<[], { id: string; owner_pid: number | null; owner_started: number | null }>(
        `SELECT id, owner_pid, owner_started FROM messages WHERE status = 'streaming'`,
      )
      .all();
    const interrupt = this.db.prepare(
      `UPDATE messages SET status = 'interrupted', stop_reason = 'error', error_code = 'ENGINE_CRASHED' WHERE id = ? AND status = 'streaming'`,
    );
    let changed = 0;
    for (const row of streaming) if (!ownerAlive(row.owner_pid, row.owner_started)) changed += interrupt.run(row.id).changes;
    return changed;
  }

  private insertConversation(input: { title?: string; modelId?: string | null; systemPrompt?: string | null; sampling?: SamplingSettings }): string {
    const now = Date.now();
    const id = randomUUID();
    this.statements.insertConversation.run(
      id,
      input.title?.trim() || DEFAULT_TITLE,
      now,
      now,
      input.modelId ?? null,
      input.systemPrompt ?? null,
      JSON.stringify(input.sampling ?? {}),
    );
    return id;
  }

  private writeConversation(id: string, patch: ConversationPatch): Conversation {
    const current = this.getConversation(id);
    if (patch.activeLeafId !== undefined) {
      const leaf = this.getMessage(patch.activeLeafId);
      if (leaf.conversationId !== id) throw new HearthError("INVALID_INPUT", `Message ${patch.activeLeafId} is not in conversation ${id}.`);
    }
    this.statements.updateConversation.run(
      patch.modelId !== undefined ? patch.modelId : current.modelId,
      patch.systemPrompt !== undefined ? patch.systemPrompt : current.systemPrompt,
      JSON.stringify(patch.sampling ?? current.sampling),
      patch.activeLeafId ?? current.activeLeafId,
      JSON.stringify(patch.collectionIds ?? current.collectionIds),
      id,
    );
    return this.getConversation(id);
  }

  /** Inserts a message and moves the active leaf to it (call inside a transaction). */
  private insertMessage(input: NewMessage): Message {
    const conversation = this.getConversation(input.conversationId);
    if (input.parentId) {
      const parent = this.getMessage(input.parentId);
      if (parent.conversationId !== input.conversationId) {
        throw new HearthError("INVALID_INPUT", `Message ${input.parentId} is not in conversation ${input.conversationId}.`);
      }
    }
    const now = Date.now();
    const id = randomUUID();
    const streaming = input.status === "streaming";
    this.statements.insertMessage.run(
      id,
      input.conversationId,
      input.parentId,
      input.role,
      input.content,
      input.status ?? "complete",
      now,
      now,
      input.modelId ?? null,
      input.modelName ?? null,
      input.loadSettings ? JSON.stringify(input.loadSettings) : null,
      input.sampling ? JSON.stringify(input.sampling) : null,
      // A streaming reply belongs to this process until it ends: see markAbandonedStreamsInterrupted.
      streaming ? currentOwner().pid : null,
      streaming ? currentOwner().startedAt : null,
    );
    const title = conversation.title === DEFAULT_TITLE && input.role === "user" ? titleFrom(input.content) : conversation.title;
    this.statements.moveLeaf.run(id, now, title, input.conversationId);
    return this.getMessage(id);
  }

  /** The empty reply below `userMessage`, and what the turn's caller needs (inside a transaction). */
  private addReply(userMessage: Message, origin: ReplyOrigin, userMessageIsNew: boolean): StartedTurn {
    const reply = this.insertMessage({
      conversationId: userMessage.conversationId,
      parentId: userMessage.id,
      role: "assistant",
      content: "",
      status: "streaming",
      ...origin,
    });
    const history = this.branch(userMessage.id);
    const placed = (userMessageIsNew ? [userMessage, reply] : [reply]).map((message) => this.placed(message));
    return { conversation: this.getConversation(userMessage.conversationId), userMessage, reply, placed, history };
  }

  /** A message with its place among its alternatives (the messages below the same parent). */
  private placed(message: Message): BranchMessage {
    const siblings = this.statements.siblings.all(message.conversationId, message.parentId);
    return { ...message, branch: { index: siblings.findIndex((s) => s.id === message.id), count: siblings.length } };
  }

  private changed(id: string): Conversation {
    const conversation = this.getConversation(id);
    this.emit({ type: "changed", conversation });
    return conversation;
  }

  private emit(change: ConversationChange): void {
    for (const listener of this.changeListeners) listener(change);
  }
}

const MAX_SEARCH_WORDS = 8;

/** A conversation title from a text: its first line that says something, without Markdown, cut to length. */
export function titleFrom(text: string): string {
  // The first line that says something, as read: without Markdown's marks (headings, quotes,
  // list bullets, emphasis, code ticks, a link's address).
  const line =
    text
      .split(/\r?\n/)
      .filter((l) => !/^\s*(```|~~~|---+\s*$|\*\*\*+\s*$)/.test(l))
      .map((l) =>
        l
          .replace(/^\s*(?:#{1,6}\s+|>\s*|[-*+]\s+|\d+[.)]\s+)+/, "")
          .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
          .replace(/(\*\*|__|\*|_|`|~~)(\S(?:.*?\S)?)\1/g, "$2")
          .replace(/\s+/g, " ")
          .trim(),
      )
      .find(Boolean) ?? "";
  return line.length > TITLE_LENGTH ? `${line.slice(0, TITLE_LENGTH - 1).trimEnd()}…` : line || DEFAULT_TITLE;
}

function conversationFromRow(row: ConversationRow): Conversation {
  return {
    id: row.id,
    title: row.title,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    modelId: row.model_id,
    systemPrompt: row.system_prompt,
    // Most conversations keep the defaults ("{}"): the sidebar lists a thousand at a time.
    sampling: row.sampling_json === "{}" ? {} : samplingSettingsSchema.parse(JSON.parse(row.sampling_json)),
    activeLeafId: row.active_leaf_id,
    messageCount: row.message_count,
    collectionIds: parseColumn(z.array(z.string()), row.collection_ids_json) ?? [],
  };
}

function messageFromRow(row: MessageRow): Message {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    parentId: row.parent_id,
    role: row.role,
    content: row.content,
    thinking: row.thinking,
    status: row.status,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    modelId: row.model_id,
    modelName: row.model_name,
    loadSettings: parseColumn(loadSettingsPatchSchema, row.load_settings_json),
    sampling: parseColumn(samplingSettingsSchema, row.sampling_json),
    promptTokens: row.prompt_tokens,
    evaluatedPromptTokens: row.evaluated_prompt_tokens,
    completionTokens: row.completion_tokens,
    timeToFirstTokenMs: row.ttft_ms,
    tokensPerSecond: row.tokens_per_second,
    stopReason: row.stop_reason,
    errorCode: row.error_code,
    droppedMessages: row.dropped_messages,
    citations: parseColumn(z.array(citationSchema), row.citations_json),
  };
}
