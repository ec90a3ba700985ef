import { useCallback, useEffect, useState } from "react";
import type { HearthClient } from "../transport/hearthClient";
import { useClient } from "./ClientContext";
import { useErrors } from "./useErrors";

/**
 * A status the core keeps and announces when it changes (the API server, the engine build):
 * read once, then followed. `run` performs an action that answers with the new status, reporting
 * its error instead. `load` and `follow` are module-level functions (the effect runs once).
 */
export function useLiveStatus<S>(load: (client: HearthClient) => Promise<S>, follow: (client: HearthClient, onStatus: (status: S) => void) => () => void) {
  const client = useClient();
  const { report } = useErrors();
  const [status, setStatus] = useState<S | null>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: load and follow are module-level functions.
  useEffect(() => {
    void load(client).then(setStatus, report);
    return follow(client, setStatus);
  }, [client, report]);

  const run = useCallback(
    async (work: () => Promise<S>) => {
      try {
        setStatus(await work());
      } catch (error) {
        report(error);
      }
    },
    [report],
  );
  return { client, status, run };
}
