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

  useEffect(() => {
    const theme = settings?.theme ?? "system";
    if (theme === "system") delete document.documentElement.dataset.theme;
    else document.documentElement.dataset.theme = theme;
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
