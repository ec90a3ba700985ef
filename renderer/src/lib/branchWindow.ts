import type { BranchMessage } from "../../../electron/shared/contract";

/** The shown branch, as long as it is, with the messages read so far (a window at a time). */
export type LoadedBranch = (BranchMessage | undefined)[];

export interface BranchWindow {
  branchLength: number;
  start: number;
  messages: BranchMessage[];
}

/**
 * Puts a window read from the store into the branch. Messages read before stay where the window
 * still hangs from them: a branch is fixed by its last message, so a matching parent link means the
 * whole prefix (or suffix) is unchanged.
 */
export const placeWindow = (view: BranchWindow, previous: LoadedBranch): LoadedBranch => {
  const { branchLength, start, messages } = view;
  const end = start + messages.length;
  const branch: LoadedBranch = new Array<BranchMessage | undefined>(branchLength).fill(undefined);
  const first = messages[0];
  const last = messages.at(-1);
  if (first && start > 0 && previous[start - 1]?.id === first.parentId) {
    for (let i = 0; i < start; i++) branch[i] = previous[i];
  }
  if (last && end < branchLength && previous.length === branchLength && previous[end]?.parentId === last.id) {
    for (let i = end; i < branchLength; i++) branch[i] = previous[i];
  }
  for (const [offset, message] of messages.entries()) branch[start + offset] = message;
  return branch;
};

/**
 * The branch with `messages` (a turn's new end) hung below their parent, the first's parentId;
 * null when that parent is not among the messages read (then the branch is read again).
 */
export function extendBranch(branch: LoadedBranch, messages: BranchMessage[]): LoadedBranch | null {
  const parentId = messages[0]?.parentId ?? null;
  const at = parentId === null ? -1 : branch.findIndex((message) => message?.id === parentId);
  if (parentId !== null && at === -1) return null;
  return [...branch.slice(0, at + 1), ...messages];
}

/** How far beyond the rows in view a read reaches, so scrolling on does not wait on every row. */
const READ_AHEAD = 30;

/**
 * The range to read so that rows `first` to `last` (inclusive) are all there, or null when they are.
 * It reaches a little beyond them, in the direction the reader is likely going (both ways).
 */
export function rangeToRead(branch: LoadedBranch, first: number, last: number): { start: number; end: number } | null {
  let missingFirst = -1;
  let missingLast = -1;
  for (let i = Math.max(0, first); i <= Math.min(last, branch.length - 1); i++) {
    if (branch[i] !== undefined) continue;
    if (missingFirst < 0) missingFirst = i;
    missingLast = i;
  }
  if (missingFirst < 0) return null;
  return { start: Math.max(0, missingFirst - READ_AHEAD), end: Math.min(branch.length, missingLast + 1 + READ_AHEAD) };
}
