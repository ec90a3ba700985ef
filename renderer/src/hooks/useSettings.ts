import { useCallback, useEffect, useState } from "react";
import type { AppSettings, CallOutput } from "../../../electron/shared/contract";
import { useClient } from "./ClientContext";
import { useErrors } from "./useErrors";

/** App settings (theme, defaults, network) and where the data and models live; applies the theme. */
export function useSettings() {
  const client = useClient();
  const { report } = useErrors();
  const [settings, setSettings] = useState<AppSettings | null>(null);
  const [dataDir, setDataDir] = useState("");
  const [modelsDir, setModelsDir] = useState("");
  const [offlineForced, setOfflineForced] = useState(false);

  const apply = useCallback((view: CallOutput<"settings.get">) => {
    setSettings(view.settings);
    setDataDir(view.dataDir);
    setModelsDir(view.modelsDir);
    setOfflineForced(view.offlineForced);
  }, []);

  useEffect(() => {
    client.call("settings.get", {}).then(apply, report);
  }, [client, report, apply]);

  // "system" follows the OS, live; the stylesheet only knows data-theme="dark".
  useEffect(() => {
    const theme = settings?.theme ?? "system";
    const prefersDark = window.matchMedia("(prefers-color-scheme: dark)");
    const apply = () => {
      document.documentElement.dataset.theme = theme === "system" ? (prefersDark.matches ? "dark" : "light") : theme;
    };
    apply();
    prefersDark.addEventListener("change", apply);
    return () => prefersDark.removeEventListener("change", apply);
  }, [settings?.theme]);

  const update = useCallback(
    async (patch: Partial<AppSettings>) => {
      try {
        apply(await client.call("settings.update", patch));
      } catch (error) {
        report(error);
      }
    },
    [client, report, apply],
  );

  return { settings, dataDir, modelsDir, offlineForced, update };
}
