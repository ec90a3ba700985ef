import { useCallback, useState } from "react";
import type { NetworkLogEntry } from "../../../electron/shared/modelHub";
import { useClient } from "./ClientContext";
import { useErrors } from "./useErrors";

/** The network log, read when the user opens it. */
export function useNetworkLog() {
  const client = useClient();
  const { report } = useErrors();
  const [entries, setEntries] = useState<NetworkLogEntry[] | null>(null);
  const show = useCallback(() => client.call("network.log", { limit: 200 }).then(setEntries, report), [client, report]);
  const hide = useCallback(() => setEntries(null), []);
  return { entries, show, hide };
}
