import { useCallback, useEffect, useState } from "react";
import type { CallInput } from "../../../electron/shared/contract";
import type { Grid, GridView } from "../../../electron/shared/grids";
import { applyGridPacket } from "../lib/applyGridPacket";
import { saveDownload } from "../lib/saveDownload";
import { useClient } from "./ClientContext";
import { useErrors, useReported } from "./useErrors";

const EXPORT_TYPES = {
  csv: "text/csv",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  json: "application/json",
} as const;

/**
 * A collection's review grids: the list, the one open (filled live from `grids.onDidUpdate`), and
 * what can be done with it. `documentsVersion` changes when the collection's documents do (its rows).
 */
export function useGrids(collectionId: string, documentsVersion: unknown) {
  const client = useClient();
  const { report } = useErrors();
  const [grids, setGrids] = useState<Grid[]>([]);
  const [openId, setOpenId] = useState<string | null>(null);
  const [view, setView] = useState<GridView | null>(null);

  const act = useReported();

  const refresh = useCallback(
    () =>
      act(async () => {
        const list = await client.call("grids.list", { collectionId });
        setGrids(list);
        setOpenId((current) => (current && list.some((g) => g.id === current) ? current : (list[0]?.id ?? null)));
      }),
    [act, client, collectionId],
  );

  useEffect(() => {
    setView(null);
    void refresh();
  }, [refresh]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: the grid is read again when the collection's documents (its rows) change
  useEffect(() => {
    if (!openId) {
      setView(null);
      return;
    }
    let live = true;
    void act(async () => {
      const next = await client.call("grids.get", { id: openId });
      if (live) setView(next);
    });
    return () => {
      live = false;
    };
  }, [act, client, openId, documentsVersion]);

  useEffect(
    () =>
      client.on("grids.onDidUpdate", (packet) => {
        setView((current) => (current ? applyGridPacket(current, packet) : current));
        if (packet.type === "run" && !packet.run && packet.error && packet.error.code !== "ABORTED") report(packet.error);
      }),
    [client, report],
  );

  const replaceGrid = (grid: Grid) => {
    setGrids((list) => list.map((g) => (g.id === grid.id ? grid : g)));
    setView((current) => (current?.grid.id === grid.id ? { ...current, grid } : current));
  };

  return {
    grids,
    view: view && view.grid.id === openId ? view : null,
    open: setOpenId,
    create: (input: Omit<CallInput<"grids.create">, "collectionId">) =>
      act(async () => {
        const grid = await client.call("grids.create", { ...input, collectionId });
        setGrids((list) => [...list, grid]);
        setOpenId(grid.id);
        return grid;
      }),
    update: (input: CallInput<"grids.update">) =>
      act(async () => {
        const grid = await client.call("grids.update", input);
        replaceGrid(grid);
        // Changed columns may have lost their cells: read them again.
        if (input.columns) setView(await client.call("grids.get", { id: grid.id }));
        return grid;
      }),
    remove: (id: string) =>
      act(async () => {
        await client.call("grids.delete", { id });
        await refresh();
      }),
    run: (input: CallInput<"grids.run">) => act(() => client.call("grids.run", input)),
    cancel: (id: string) => act(() => client.call("grids.cancel", { id })),
    editCell: (input: CallInput<"grids.editCell">) => act(() => client.call("grids.editCell", input)),
    download: (id: string, format: keyof typeof EXPORT_TYPES) =>
      act(async () => saveDownload(await client.call("grids.export", { id, format }), EXPORT_TYPES[format])),
  };
}
