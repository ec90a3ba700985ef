import { useCallback, useEffect, useState } from "react";
import type { AppSettings } from "../../../electron/shared/contract";
import { useClient } from "./ClientContext";
import { useErrors } from "./useErrors";

/** App settings (theme, default system prompt and sampling) and where the data lives; applies the theme. */
export function useSettings() {
  const client = useClient();
  const { report } = useErrors();
  const [settings, setSettings] = useState<AppSettings | null>(null);
  const [dataDir, setDataDir] = useState("");

  useEffect(() => {
    client.call("settings.get", {}).then((result) => {
      setSettings(result.settings);
      setDataDir(result.dataDir);
    }, report);
  }, [client, report]);

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
        setSettings((await client.call("settings.update", patch)).settings);
      } catch (error) {
        report(error);
      }
    },
    [client, report],
  );

  return { settings, dataDir, update };
}
