import { useCallback, useEffect, useRef, useState } from "react";
import type { ArenaState } from "../../../electron/shared/contract";
import { applyArenaPacket } from "../../../electron/shared/progressPackets";
import { useClient } from "./ClientContext";
import { useErrors } from "./useErrors";

/** The arena shown: its live state, start and stop. */
export function useArena() {
  const client = useClient();
  const { report } = useErrors();
  const [state, setState] = useState<ArenaState | null>(null);
  const current = useRef<string | null>(null);
  // The arena as its packets build it, from its first (which can arrive before `arena.start` answers).
  const latest = useRef<ArenaState | null>(null);

  useEffect(
    () =>
      client.on("arena.onDidUpdate", (packet) => {
        latest.current = applyArenaPacket(latest.current, packet);
        if (latest.current?.id === current.current) setState(latest.current);
      }),
    [client],
  );

  const start = useCallback(
    async (prompt: string, modelIds: [string, string], maxTokens: number) => {
      try {
        const { arenaId } = await client.call("arena.start", { prompt, modelIds, maxTokens });
        current.current = arenaId;
        if (latest.current?.id === arenaId) setState(latest.current);
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
