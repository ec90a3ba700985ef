import { useEffect, useState } from "react";
import type { AppSettings } from "../../../../electron/shared/contract";
import type { HfTokenView, SettingsPatch } from "../../hooks/useSettings";
import { Button } from "../ui/Button";

interface Props {
  settings: AppSettings;
  hfToken: HfTokenView | null;
  modelsDir: string;
  offlineForced: boolean;
  onUpdate(patch: SettingsPatch): void;
}

const STORAGE_NAMES = { keychain: "the system keychain", encrypted: "this app's encrypted store", file: "a private file" } as const;

/** Network and downloads: the offline switch, the hub token, the models folder, the proxy, connections per download. */
export function NetworkSettings({ settings, hfToken, modelsDir, offlineForced, onUpdate }: Props) {
  // The token is write-only: the UI never receives it, only whether one is set and its last four characters.
  const [token, setToken] = useState("");
  const [folder, setFolder] = useState(settings.modelsDir);
  useEffect(() => setFolder(settings.modelsDir), [settings.modelsDir]);
  const [proxy, setProxy] = useState(settings.proxy);
  useEffect(() => setProxy(settings.proxy), [settings.proxy]);

  return (
    <div className="flex flex-col gap-3">
      <label className="flex items-center gap-2">
        <input
          type="checkbox"
          aria-label="Offline mode"
          checked={offlineForced || settings.offline}
          disabled={offlineForced}
          onChange={(e) => onUpdate({ offline: e.target.checked })}
        />
        Offline mode: no search, no downloads
      </label>
      {offlineForced && <p className="text-xs text-fg-muted">HEARTH_OFFLINE=1 keeps Hearth offline.</p>}
      <div className="flex flex-col gap-1">
        <label className="flex flex-col gap-1">
          Hugging Face token (for gated models)
          <input
            aria-label="Hugging Face token"
            type="password"
            autoComplete="off"
            className="h-8 rounded border border-border bg-bg px-2"
            placeholder={hfToken?.set ? `Set${hfToken.last4 ? ` (…${hfToken.last4})` : ""}; type to replace it` : "hf_…"}
            value={token}
            onChange={(e) => setToken(e.target.value)}
            onKeyDown={(e) => e.key === "Enter" && e.currentTarget.blur()}
            onBlur={() => {
              if (!token.trim()) return;
              onUpdate({ hfToken: token.trim() });
              setToken("");
            }}
          />
        </label>
        {hfToken?.set && (
          <p data-testid="hf-token-status" className="flex items-center gap-2 text-xs text-fg-muted">
            <span>
              Token set{hfToken.last4 ? ` (…${hfToken.last4})` : ""}
              {hfToken.storage && !hfToken.note ? `, kept in ${STORAGE_NAMES[hfToken.storage]}` : ""}. {hfToken.note}
            </span>
            <Button size="sm" variant="ghost" onClick={() => onUpdate({ hfToken: "" })}>
              Remove token
            </Button>
          </p>
        )}
        {hfToken?.fromEnv && <p className="text-xs text-fg-muted">HF_TOKEN in the environment is used instead.</p>}
      </div>
      <label className="flex flex-col gap-1">
        Models folder
        <input
          aria-label="Models folder"
          className="h-8 rounded border border-border bg-bg px-2"
          placeholder={modelsDir}
          value={folder}
          onChange={(e) => setFolder(e.target.value)}
        />
      </label>
      <div className="flex gap-2">
        <Button size="sm" disabled={folder === settings.modelsDir} onClick={() => onUpdate({ modelsDir: folder.trim() })}>
          Use this folder
        </Button>
        <span className="self-center text-xs text-fg-muted">New downloads go here; models already downloaded stay where they are.</span>
      </div>
      <label className="flex flex-col gap-1">
        Proxy
        <input
          aria-label="Proxy"
          className="h-8 rounded border border-border bg-bg px-2"
          placeholder="None (HTTPS_PROXY and NO_PROXY apply when set)"
          value={proxy}
          onChange={(e) => setProxy(e.target.value)}
          onKeyDown={(e) => e.key === "Enter" && e.currentTarget.blur()}
          onBlur={() => proxy.trim() !== settings.proxy && onUpdate({ proxy: proxy.trim() })}
        />
        <span className="text-xs text-fg-muted">Such as http://proxy.example:3128 (http, https or socks5). This machine's own addresses never use it.</span>
      </label>
      <label className="flex flex-col gap-1">
        Connections per download
        <span className="flex items-center gap-2">
          <input
            aria-label="Connections per download"
            type="number"
            min={1}
            max={16}
            className="h-8 w-16 shrink-0 rounded border border-border bg-bg px-2"
            value={settings.downloadConnections}
            onChange={(e) => {
              const value = Number(e.target.value);
              if (Number.isInteger(value) && value >= 1 && value <= 16) onUpdate({ downloadConnections: value });
            }}
          />
          <span className="text-xs text-fg-muted">Large files come over this many ranged connections at once.</span>
        </span>
      </label>
    </div>
  );
}
