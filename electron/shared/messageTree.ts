import type { Message } from "./contract";

/** Messages indexed once, so walking a branch or finding siblings costs no scan of the whole list. */
export interface MessageTree {
  byId: Map<string, Message>;
  children: Map<string | null, Message[]>;
}

export function indexTree(messages: Message[]): MessageTree {
  const byId = new Map<string, Message>();
  const children = new Map<string | null, Message[]>();
  for (const message of messages) {
    byId.set(message.id, message);
    const siblings = children.get(message.parentId);
    if (siblings) siblings.push(message);
    else children.set(message.parentId, [message]);
  }
  return { byId, children };
}

/** The branch shown: from the root down to the active leaf. */
export function branchTo(tree: MessageTree, leafId: string | null): Message[] {
  const branch: Message[] = [];
  for (let cursor = leafId ? tree.byId.get(leafId) : undefined; cursor; cursor = cursor.parentId ? tree.byId.get(cursor.parentId) : undefined) {
    branch.push(cursor);
  }
  return branch.reverse();
}

/** A message's siblings of the same role (itself included), oldest first: what a branch switcher steps through. */
export function siblingsOf(tree: MessageTree, message: Message): Message[] {
  return (tree.children.get(message.parentId) ?? []).filter((m) => m.role === message.role);
}

/** The newest leaf below a message: where switching to that branch lands. */
export function newestLeafUnder(tree: MessageTree, message: Message): Message {
  let current = message;
  for (;;) {
    const children = tree.children.get(current.id) ?? [];
    if (children.length === 0) return current;
    current = children.reduce((newest, m) => (m.createdAt >= newest.createdAt ? m : newest));
  }
}
