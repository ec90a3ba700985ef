import type { Message } from "../../../electron/shared/contract";

/** The branch shown: from the root down to the active leaf. */
export function branchTo(messages: Message[], leafId: string | null): Message[] {
  const byId = new Map(messages.map((m) => [m.id, m]));
  const branch: Message[] = [];
  for (let cursor = leafId ? byId.get(leafId) : undefined; cursor; cursor = cursor.parentId ? byId.get(cursor.parentId) : undefined) {
    branch.push(cursor);
  }
  return branch.reverse();
}

/** A message's siblings (itself included), oldest first: the versions a branch switcher steps through. */
export function siblingsOf(messages: Message[], message: Message): Message[] {
  return messages.filter((m) => m.parentId === message.parentId && m.role === message.role);
}

/** The newest leaf below a message: where switching to that branch lands. */
export function newestLeafUnder(messages: Message[], message: Message): Message {
  let current = message;
  for (;;) {
    const children = messages.filter((m) => m.parentId === current.id);
    if (children.length === 0) return current;
    current = children.reduce((newest, m) => (m.createdAt >= newest.createdAt ? m : newest));
  }
}
