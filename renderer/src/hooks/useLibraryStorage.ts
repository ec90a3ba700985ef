import { useCallback, useEffect, useState } from "react";
import type { CallOutput } from "../../../electron/shared/contract";
import { useClient } from "./ClientContext";
import { useErrors } from "./useErrors";

/** Where the library's files live and what they take, refreshed on demand; and the desktop's "show in folder". */
export function useLibraryStorage(modelCount: number) {
  const client = useClient();
  const { report } = useErrors();
  const [storage, setStorage] = useState<CallOutput<"models.storage"> | null>(null);
  const refresh = useCallback(() => client.call("models.storage", {}).then(setStorage, report), [client, report]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: a change in the library's size is the trigger
  useEffect(() => {
    void refresh();
  }, [refresh, modelCount]);

  const { showModelInFolder } = client;
  const showInFolder = useCallback((id: string) => void showModelInFolder?.(id).catch(report), [showModelInFolder, report]);
  return { storage, refresh, showInFolder: showModelInFolder ? showInFolder : undefined };
}
