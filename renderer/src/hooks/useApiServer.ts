import { useCallback, useState } from "react";
import type { ApiStatus } from "../../../electron/shared/contract";
import type { HearthClient } from "../transport/hearthClient";
import { useLiveStatus } from "./useLiveStatus";

const load = (client: HearthClient) => client.call("api.status", {});
const follow = (client: HearthClient, onStatus: (status: ApiStatus) => void) => client.on("api.onDidChange", onStatus);

/** The OpenAI-compatible API's status (live: start, stop, key, each request), and its actions. */
export function useApiServer() {
  const { client, status, run } = useLiveStatus(load, follow);
  // A key just made: shown whole until the page is left, never again.
  const [newKey, setNewKey] = useState<string | null>(null);

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
