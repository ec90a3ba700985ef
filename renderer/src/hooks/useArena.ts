import { useCallback, useEffect, useRef, useState } from "react";
import type { ArenaState } from "../../../electron/shared/contract";
import { useClient } from "./ClientContext";
import { useErrors } from "./useErrors";

/** The arena shown: its live state, start and stop. */
export function useArena() {
  const client = useClient();
  const { report } = useErrors();
  const [state, setState] = useState<ArenaState | null>(null);
  const current = useRef<string | null>(null);

  useEffect(
    () =>
      client.on("arena.onDidUpdate", (update) => {
        if (update.id === current.current) setState(update);
      }),
    [client],
  );

  const start = useCallback(
    async (prompt: string, modelIds: [string, string], maxTokens: number) => {
      try {
        const { arenaId } = await client.call("arena.start", { prompt, modelIds, maxTokens });
        current.current = arenaId;
      } catch (error) {
        report(error);
      }
    },
    [client, report],
  );

  const stop = useCallback(() => {
    if (current.current) client.call("arena.stop", { arenaId: current.current }).catch(report);
  }, [client, report]);

  return { state, start, stop };
}
