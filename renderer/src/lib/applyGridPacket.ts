import type { GridPacket, GridView } from "../../../electron/shared/grids";

/**
 * A grid's view with one packet applied: an answered cell replaces the one it was (and leaves the
 * run's queue); progress moves the run's current cell; a run's start or end replaces the run.
 */
export function applyGridPacket(view: GridView, packet: GridPacket): GridView {
  if (packet.gridId !== view.grid.id) return view;
  switch (packet.type) {
    case "cell": {
      const { cell } = packet;
      const same = (c: { documentId: string; columnId: string }) => c.documentId === cell.documentId && c.columnId === cell.columnId;
      const run = view.run && {
        ...view.run,
        queued: view.run.queued.filter((q) => !same(q)),
        current: view.run.current && same(view.run.current) ? null : view.run.current,
      };
      return { ...view, cells: [...view.cells.filter((c) => !same(c)), cell], run };
    }
    case "progress":
      return view.run?.runId === packet.runId ? { ...view, run: { ...view.run, done: packet.done, current: packet.current } } : view;
    case "run":
      return { ...view, run: packet.run };
  }
}
