import { describe, expect, it } from "vitest";
import type { BranchMessage } from "../../electron/shared/contract";
import { extendBranch, placeWindow, rangeToRead, type LoadedBranch } from "../../renderer/src/lib/branchWindow";

// A chain m0 <- m1 <- ... ; `alt` names a different branch from `from` on.
const chain = (length: number, from = length, alt = "x"): BranchMessage[] =>
  Array.from(
    { length },
    (_, i) => ({ id: i >= from ? `${alt}${i}` : `m${i}`, parentId: i === 0 ? null : i - 1 >= from ? `${alt}${i - 1}` : `m${i - 1}` }) as BranchMessage,
  );
const ids = (branch: LoadedBranch) => branch.map((m) => m?.id ?? "_");

describe("placeWindow", () => {
  it("places a window in a branch of the given length, the rest unread", () => {
    const all = chain(6);
    expect(ids(placeWindow({ branchLength: 6, start: 4, messages: all.slice(4) }, []))).toEqual(["_", "_", "_", "_", "m4", "m5"]);
  });

  it("keeps messages read before where the new window hangs from them", () => {
    const all = chain(8);
    const before = placeWindow({ branchLength: 6, start: 0, messages: all.slice(0, 6) }, []);
    // Two messages were added at the end: the prefix is the same branch.
    expect(ids(placeWindow({ branchLength: 8, start: 5, messages: all.slice(5) }, before))).toEqual(["m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7"]);
    // A window read higher up keeps what is below it on the same branch.
    const tail = placeWindow({ branchLength: 8, start: 6, messages: all.slice(6) }, []);
    expect(ids(placeWindow({ branchLength: 8, start: 3, messages: all.slice(3, 6) }, tail))).toEqual(["_", "_", "_", "m3", "m4", "m5", "m6", "m7"]);
  });

  it("drops messages read before when the branch changed under the window", () => {
    const before = placeWindow({ branchLength: 6, start: 0, messages: chain(6) }, []);
    const switched = chain(6, 2);
    expect(ids(placeWindow({ branchLength: 6, start: 4, messages: switched.slice(4) }, before))).toEqual(["_", "_", "_", "_", "x4", "x5"]);
  });
});

describe("extendBranch", () => {
  const message = (id: string, parentId: string | null) => ({ id, parentId }) as BranchMessage;

  it("hangs a turn's new end below its parent, replacing what was below it (an edit starts a new branch)", () => {
    const branch = placeWindow({ branchLength: 4, start: 0, messages: chain(4) }, []);
    expect(ids(extendBranch(branch, [message("u", "m3"), message("a", "u")])!)).toEqual(["m0", "m1", "m2", "m3", "u", "a"]);
    // An edit of m2: its new sibling and the reply replace m2 and what followed.
    expect(ids(extendBranch(branch, [message("e", "m1"), message("a", "e")])!)).toEqual(["m0", "m1", "e", "a"]);
    // A first message, and a regeneration (the reply alone).
    expect(ids(extendBranch([], [message("u", null), message("a", "u")])!)).toEqual(["u", "a"]);
    expect(ids(extendBranch(branch, [message("r", "m2")])!)).toEqual(["m0", "m1", "m2", "r"]);
  });

  it("says so when the parent was never read (the branch is read again)", () => {
    const tail = placeWindow({ branchLength: 6, start: 4, messages: chain(6).slice(4) }, []);
    expect(extendBranch(tail, [message("e", "m1"), message("a", "e")])).toBeNull();
  });
});

describe("rangeToRead", () => {
  it("asks for nothing when the rows in view are read", () => {
    expect(rangeToRead(chain(5), 0, 4)).toBeNull();
    expect(rangeToRead([], 0, -1)).toBeNull();
  });

  it("reaches beyond the missing rows in view, within the branch", () => {
    const branch = placeWindow({ branchLength: 200, start: 140, messages: chain(200).slice(140) }, []);
    expect(rangeToRead(branch, 130, 145)).toEqual({ start: 100, end: 170 });
    expect(rangeToRead(branch, 0, 5)).toEqual({ start: 0, end: 36 });
  });
});
