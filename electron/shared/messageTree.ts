import type { Message } from "./contract";

/** What walking a conversation's tree needs of a message: no text. */
export interface TreeNode {
  id: string;
  parentId: string | null;
  role: string;
  createdAt: number;
}

/** Messages indexed once, so walking a branch or finding siblings costs no scan of the whole list. */
export interface MessageTree<M extends TreeNode = Message> {
  byId: Map<string, M>;
  children: Map<string | null, M[]>;
}

export function indexTree<M extends TreeNode>(messages: M[]): MessageTree<M> {
  const byId = new Map<string, M>();
  const children = new Map<string | null, M[]>();
  for (const message of messages) {
    byId.set(message.id, message);
    const siblings = children.get(message.parentId);
    if (siblings) siblings.push(message);
    else children.set(message.parentId, [message]);
  }
  return { byId, children };
}

/** The branch shown: from the root down to the active leaf. */
export function branchTo<M extends TreeNode>(tree: MessageTree<M>, leafId: string | null): M[] {
  const branch: M[] = [];
  for (let cursor = leafId ? tree.byId.get(leafId) : undefined; cursor; cursor = cursor.parentId ? tree.byId.get(cursor.parentId) : undefined) {
    branch.push(cursor);
  }
  return branch.reverse();
}

/** A message's siblings of the same role (itself included), oldest first: what a branch switcher steps through. */
export function siblingsOf<M extends TreeNode>(tree: MessageTree<M>, message: TreeNode): M[] {
  return (tree.children.get(message.parentId) ?? []).filter((m) => m.role === message.role);
}

/** The newest leaf below a message: where switching to that branch lands. */
export function newestLeafUnder<M extends TreeNode>(tree: MessageTree<M>, message: M): M {
  let current = message;
  for (;;) {
    const children = tree.children.get(current.id) ?? [];
    if (children.length === 0) return current;
    current = children.reduce((newest, m) => (m.createdAt >= newest.createdAt ? m : newest));
  }
}
