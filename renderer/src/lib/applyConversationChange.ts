import type { Conversation, ConversationChange } from "../../../electron/shared/contract";

/**
 * The sidebar's list after one change, newest first: a changed conversation is replaced (or, in
 * the unfiltered list, added), a removed one dropped. A search's results only follow changes to
 * conversations they already hold: whether a new one matches is the next search's to say.
 */
export function applyConversationChange(list: readonly Conversation[], change: ConversationChange, filtered: boolean): Conversation[] {
  if (change.type === "removed") return list.filter((c) => c.id !== change.id);
  const { conversation } = change;
  const present = list.some((c) => c.id === conversation.id);
  if (!present && filtered) return [...list];
  const rest = list.filter((c) => c.id !== conversation.id);
  const at = rest.findIndex((c) => c.updatedAt <= conversation.updatedAt);
  return at === -1 ? [...rest, conversation] : [...rest.slice(0, at), conversation, ...rest.slice(at)];
}
