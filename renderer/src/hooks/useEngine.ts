import { useCallback, useEffect, useState } from "react";
import type { EngineState, LoadSettings, ModelEntry } from "../../../electron/shared/contract";
import { useClient } from "./ClientContext";
import { useErrors } from "./useErrors";

/** The model library and the engine's state (live), with load and import. */
export function useEngine() {
  const client = useClient();
  const { report } = useErrors();
  const [models, setModels] = useState<ModelEntry[]>([]);
  const [state, setState] = useState<EngineState | null>(null);

  const refresh = useCallback(async () => {
    try {
      const [list, engine] = await Promise.all([client.call("models.list", {}), client.call("engine.state", {})]);
      setModels(list);
      setState(engine);
    } catch (error) {
      report(error);
    }
  }, [client, report]);

  useEffect(() => {
    void refresh();
    return client.on("engine.onDidChangeState", setState);
  }, [client, refresh]);

  const load = useCallback(
    async (modelId: string, settings?: Partial<LoadSettings>) => {
      try {
        setState(await client.call("engine.load", { modelId, settings }));
      } catch (error) {
        report(error);
      }
    },
    [client, report],
  );

  const importModel = useCallback(
    async (path: string) => {
      try {
        const entry = await client.call("models.import", { path, mode: "reference" });
        await refresh();
        return entry;
      } catch (error) {
        report(error);
        return null;
      }
    },
    [client, refresh, report],
  );

  // The desktop app picks the file with the system's dialog; browser mode has no such thing.
  const { pickModelFile } = client;
  const browseAndImport = useCallback(async () => {
    const path = await pickModelFile?.().catch(report);
    if (path) await importModel(path);
  }, [pickModelFile, importModel, report]);

  const removeModel = useCallback(
    async (id: string) => {
      try {
        await client.call("models.remove", { id, deleteFile: true });
        await refresh();
      } catch (error) {
        report(error);
      }
    },
    [client, refresh, report],
  );

  const locate = useCallback(
    async (id: string, path: string) => {
      try {
        await client.call("models.locate", { id, path });
        await refresh();
      } catch (error) {
        report(error);
      }
    },
    [client, refresh, report],
  );

  const setDefaults = useCallback(
    async (id: string, defaults: Partial<LoadSettings> | null) => {
      try {
        await client.call("models.setDefaults", { id, defaults });
        await refresh();
      } catch (error) {
        report(error);
      }
    },
    [client, refresh, report],
  );

  return {
    models,
    state,
    load,
    importModel,
    browseAndImport: pickModelFile ? browseAndImport : undefined,
    refresh,
    removeModel,
    locate,
    pickModelFile,
    setDefaults,
  };
}
