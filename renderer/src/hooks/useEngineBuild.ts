import { useCallback } from "react";
import type { EngineBuildStatus } from "../../../electron/shared/contract";
import type { HearthClient } from "../transport/hearthClient";
import { useLiveStatus } from "./useLiveStatus";

const load = (client: HearthClient) => client.call("engineBuild.status", {});
const follow = (client: HearthClient, onStatus: (status: EngineBuildStatus) => void) => client.on("engineBuild.onDidChange", onStatus);

/** "Optimize for this machine": the llama.cpp binary in use, the local build and its comparison (live), and the actions. */
export function useEngineBuild() {
  const { client, status, run } = useLiveStatus(load, follow);
  const optimize = useCallback(() => run(() => client.call("engineBuild.optimize", {})), [client, run]);
  const cancel = useCallback(() => run(() => client.call("engineBuild.cancel", {})), [client, run]);
  const use = useCallback((binary: "prebuilt" | "local") => run(() => client.call("engineBuild.use", { binary })), [client, run]);
  const remove = useCallback(() => run(() => client.call("engineBuild.remove", {})), [client, run]);
  return { status, optimize, cancel, use, remove };
}
