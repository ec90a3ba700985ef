import { useCallback, useEffect, useState } from "react";
import type { AppSettings, CallInput, CallOutput } from "../../../electron/shared/contract";
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
  const [hfToken, setHfToken] = useState<HfTokenView | null>(null);

  const apply = useCallback((view: CallOutput<"settings.get">) => {
    setSettings(view.settings);
    setDataDir(view.dataDir);
    setModelsDir(view.modelsDir);
    setOfflineForced(view.offlineForced);
    setHfToken({ ...view.hfToken, fromEnv: view.hfTokenFromEnv });
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
    async (patch: SettingsPatch) => {
      try {
        apply(await client.call("settings.update", patch));
        return true;
      } catch (error) {
        report(error);
        return false;
      }
    },
    [client, report, apply],
  );

  return { settings, hfToken, dataDir, modelsDir, offlineForced, update };
}

export type SettingsPatch = CallInput<"settings.update">;
/** The token's status (never its value) and whether HF_TOKEN in the environment overrides it. */
export type HfTokenView = CallOutput<"settings.get">["hfToken"] & { fromEnv: boolean };
