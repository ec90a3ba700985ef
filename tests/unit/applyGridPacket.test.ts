import { describe, expect, it } from "vitest";
import type { GridCell, GridView } from "../../electron/shared/grids";
import { applyGridPacket } from "../../renderer/src/lib/applyGridPacket";

const cell = (documentId: string, columnId: string, value: unknown): GridCell => ({
  documentId,
  columnId,
  status: "done",
  value,
  citations: [],
  edited: false,
  error: null,
  modelMs: 1,
  totalMs: 2,
  updatedAt: 0,
});

const view: GridView = {
  grid: { id: "g", collectionId: "c", name: "G", modelId: "m", columns: [], createdAt: 0, updatedAt: 0 },
  rows: [],
  cells: [cell("d1", "c1", 1)],
  run: {
    runId: "r",
    gridId: "g",
    done: 0,
    total: 2,
    current: { documentId: "d1", columnId: "c1" },
    queued: [
      { documentId: "d1", columnId: "c1" },
      { documentId: "d2", columnId: "c1" },
    ],
    startedAt: 0,
  },
};

describe("applyGridPacket", () => {
  it("replaces an answered cell and takes it off the queue; moves the run; ends it", () => {
    const answered = applyGridPacket(view, { type: "cell", gridId: "g", cell: cell("d1", "c1", 2) });
    expect(answered.cells).toEqual([cell("d1", "c1", 2)]);
    expect(answered.run).toMatchObject({ current: null, queued: [{ documentId: "d2", columnId: "c1" }] });
    const moved = applyGridPacket(answered, { type: "progress", gridId: "g", runId: "r", done: 1, current: { documentId: "d2", columnId: "c1" } });
    expect(moved.run).toMatchObject({ done: 1, current: { documentId: "d2" } });
    // Progress of another run (an old one) changes nothing; nor does another grid's packet.
    expect(applyGridPacket(moved, { type: "progress", gridId: "g", runId: "old", done: 9, current: null })).toBe(moved);
    expect(applyGridPacket(moved, { type: "run", gridId: "other", run: null, error: null })).toBe(moved);
    expect(applyGridPacket(moved, { type: "run", gridId: "g", run: null, error: null }).run).toBeNull();
  });
});
