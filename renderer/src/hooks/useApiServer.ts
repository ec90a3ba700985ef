import { useCallback, useEffect, useState } from "react";
import type { ApiStatus } from "../../../electron/shared/contract";
import { useClient } from "./ClientContext";
import { useErrors } from "./useErrors";

/** The OpenAI-compatible API's status (live: start, stop, key, each request), and its actions. */
export function useApiServer() {
  const client = useClient();
  const { report } = useErrors();
  const [status, setStatus] = useState<ApiStatus | null>(null);
  // A key just made: shown whole until the page is left, never again.
  const [newKey, setNewKey] = useState<string | null>(null);

  useEffect(() => {
    void client.call("api.status", {}).then(setStatus, report);
    return client.on("api.onDidChange", setStatus);
  }, [client, report]);

  const run = useCallback(
    async (work: () => Promise<ApiStatus>) => {
      try {
        setStatus(await work());
      } catch (error) {
        report(error);
      }
    },
    [report],
  );
  const start = useCallback(() => run(() => client.call("api.start", {})), [client, run]);
  const stop = useCallback(() => run(() => client.call("api.stop", {})), [client, run]);
  const createKey = useCallback(
    () =>
      run(async () => {
        const { key, status: next } = await client.call("api.createKey", {});
        setNewKey(key);
        return next;
      }),
    [client, run],
  );
  const revokeKey = useCallback(() => {
    setNewKey(null);
    return run(() => client.call("api.revokeKey", {}));
  }, [client, run]);

  return { status, newKey, start, stop, createKey, revokeKey };
}
