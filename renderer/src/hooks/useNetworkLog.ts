import { useCallback, useState } from "react";
import type { NetworkLogEntry } from "../../../electron/shared/modelHub";
import { useClient } from "./ClientContext";
import { useErrors } from "./useErrors";

/** The network log, read when the user opens it or asks again; clearing forgets every entry. */
export function useNetworkLog() {
  const client = useClient();
  const { report } = useErrors();
  const [entries, setEntries] = useState<NetworkLogEntry[] | null>(null);
  const show = useCallback(() => client.call("network.log", { limit: 2000 }).then(setEntries, report), [client, report]);
  const clear = useCallback(() => client.call("network.clear", {}).then(() => setEntries([]), report), [client, report]);
  return { entries, show, clear };
}
