import { useCallback, useEffect, useState } from "react";
import type { BenchRun, BenchRunSummary, CallInput } from "../../../electron/shared/contract";
import { applyBenchPacket } from "../../../electron/shared/progressPackets";
import { saveDownload } from "../lib/saveDownload";
import { useClient } from "./ClientContext";
import { useErrors } from "./useErrors";

/** Bench runs: the history, the run shown (live while it goes), start, cancel, export, delete. */
export function useBench() {
  const client = useClient();
  const { report } = useErrors();
  const [runs, setRuns] = useState<BenchRunSummary[]>([]);
  const [shown, setShown] = useState<BenchRun | null>(null);

  const refresh = useCallback(() => client.call("bench.list", {}).then(setRuns, report), [client, report]);

  useEffect(() => {
    void refresh();
    return client.on("bench.onDidProgress", (packet) => {
      setShown((current) => (current === null && packet.type === "run" ? packet.run : applyBenchPacket(current, packet)));
      if (packet.type === "run" && packet.run.status !== "running") void refresh();
    });
  }, [client, refresh]);

  const start = useCallback(
    async (spec: CallInput<"bench.start">) => {
      try {
        const { runId } = await client.call("bench.start", spec);
        setShown(await client.call("bench.get", { id: runId }));
        void refresh();
      } catch (error) {
        report(error);
      }
    },
    [client, refresh, report],
  );

  const show = useCallback((id: string) => client.call("bench.get", { id }).then(setShown, report), [client, report]);
  const load = useCallback((id: string) => client.call("bench.get", { id }), [client]);
  const cancel = useCallback((runId: string) => client.call("bench.cancel", { runId }).catch(report), [client, report]);

  const remove = useCallback(
    async (id: string) => {
      try {
        await client.call("bench.delete", { id });
        setShown((current) => (current?.id === id ? null : current));
        await refresh();
      } catch (error) {
        report(error);
      }
    },
    [client, refresh, report],
  );

  /** Saves an export through the browser's download, named by the core. */
  const download = useCallback(
    async (id: string, format: "csv" | "json" | "md") => {
      try {
        const file = await client.call("bench.export", { id, format });
        saveDownload(file, format === "json" ? "application/json" : format === "csv" ? "text/csv" : "text/markdown");
      } catch (error) {
        report(error);
      }
    },
    [client, report],
  );

  return { runs, shown, start, show, load, cancel, remove, download };
}
