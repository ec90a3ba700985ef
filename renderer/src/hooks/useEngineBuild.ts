import { useCallback, useEffect, useState } from "react";
import type { EngineBuildStatus } from "../../../electron/shared/contract";
import { useClient } from "./ClientContext";
import { useErrors } from "./useErrors";

/** "Optimize for this machine": the llama.cpp binary in use, the local build and its comparison (live), and the actions. */
export function useEngineBuild() {
  const client = useClient();
  const { report } = useErrors();
  const [status, setStatus] = useState<EngineBuildStatus | null>(null);

  useEffect(() => {
    void client.call("engineBuild.status", {}).then(setStatus, report);
    return client.on("engineBuild.onDidChange", setStatus);
  }, [client, report]);

  const run = useCallback(
    async (work: () => Promise<EngineBuildStatus>) => {
      try {
        setStatus(await work());
      } catch (error) {
        report(error);
      }
    },
    [report],
  );
  const optimize = useCallback(() => run(() => client.call("engineBuild.optimize", {})), [client, run]);
  const cancel = useCallback(() => run(() => client.call("engineBuild.cancel", {})), [client, run]);
  const use = useCallback((binary: "prebuilt" | "local") => run(() => client.call("engineBuild.use", { binary })), [client, run]);
  const remove = useCallback(() => run(() => client.call("engineBuild.remove", {})), [client, run]);
  return { status, optimize, cancel, use, remove };
}
