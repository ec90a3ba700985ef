import { useCallback, useEffect, useState } from "react";
import type { EngineState, LoadSettings, LoadSettingsPatch, ModelEntry, SamplingSettings } from "../../../electron/shared/contract";
import type { RemoteEngine } from "../../../electron/shared/remote";
import { useClient } from "./ClientContext";
import { useErrors } from "./useErrors";

/** The model library, the remote engines' models and the engine's state (live), with load, eject, import and library edits. */
export function useEngine() {
  const client = useClient();
  const { report } = useErrors();
  const [models, setModels] = useState<ModelEntry[]>([]);
  const [state, setState] = useState<EngineState | null>(null);
  const [remotes, setRemotes] = useState<RemoteEngine[]>([]);

  const refresh = useCallback(async () => {
    try {
      const [list, engine, remoteList] = await Promise.all([client.call("models.list", {}), client.call("engine.state", {}), client.call("remote.list", {})]);
      setModels(list);
      setState(engine);
      setRemotes(remoteList);
    } catch (error) {
      report(error);
    }
  }, [client, report]);

  useEffect(() => {
    void refresh();
    return client.on("engine.onDidChangeState", setState);
  }, [client, refresh]);

  /** Runs a library change, then reads the library again; a failure is reported, never thrown. */
  const change = useCallback(
    async <T>(work: () => Promise<T>): Promise<T | null> => {
      try {
        const result = await work();
        await refresh();
        return result;
      } catch (error) {
        report(error);
        return null;
      }
    },
    [refresh, report],
  );

  const load = useCallback(
    (modelId: string, settings?: Partial<LoadSettings>) => change(async () => setState(await client.call("engine.load", { modelId, settings }))),
    [client, change],
  );
  const eject = useCallback(() => change(async () => setState(await client.call("engine.unload", {}))), [client, change]);
  const importModel = useCallback((path: string) => change(() => client.call("models.import", { path, mode: "reference" })), [client, change]);
  const removeModel = useCallback((id: string) => change(() => client.call("models.remove", { id, deleteFile: true })), [client, change]);
  const locate = useCallback((id: string, path: string) => change(() => client.call("models.locate", { id, path })), [client, change]);
  const rename = useCallback((id: string, name: string | null) => change(() => client.call("models.rename", { id, name })), [client, change]);
  const setSampling = useCallback(
    async (id: string, sampling: SamplingSettings | null) => (await change(() => client.call("models.setSampling", { id, sampling }))) !== null,
    [client, change],
  );
  const setDefaults = useCallback(
    (id: string, defaults: LoadSettingsPatch | null) => change(() => client.call("models.setDefaults", { id, defaults })),
    [client, change],
  );

  /** Adds a remote engine; true when it was added (else the reason was reported). */
  const addRemote = useCallback(
    async (input: { name: string; baseUrl: string; key?: string }) => (await change(() => client.call("remote.add", input))) !== null,
    [client, change],
  );
  const removeRemote = useCallback((id: string) => change(() => client.call("remote.remove", { id })), [client, change]);
  const refreshRemotes = useCallback(() => change(async () => setRemotes(await client.call("remote.list", { refresh: true }))), [client, change]);

  // The desktop app picks the file with the system's dialog; browser mode has no such thing.
  const { pickModelFile } = client;
  const browseAndImport = useCallback(async () => {
    const path = await pickModelFile?.().catch(report);
    return path ? importModel(path) : null;
  }, [pickModelFile, importModel, report]);

  return {
    models,
    remotes,
    addRemote,
    removeRemote,
    refreshRemotes,
    state,
    load,
    eject,
    importModel,
    browseAndImport: pickModelFile ? browseAndImport : undefined,
    refresh,
    removeModel,
    locate,
    rename,
    pickModelFile,
    setDefaults,
    setSampling,
  };
}
