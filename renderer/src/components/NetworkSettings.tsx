import { useEffect, useState } from "react";
import type { AppSettings } from "../../../electron/shared/contract";
import { useNetworkLog } from "../hooks/useNetworkLog";
import { formatBytes } from "../lib/format";
import { Button } from "./ui/Button";

interface Props {
  settings: AppSettings;
  modelsDir: string;
  offlineForced: boolean;
  onUpdate(patch: Partial<AppSettings>): void;
}

/** Network and storage: the offline switch, the hub token, the models folder, and the log of every request made. */
export function NetworkSettings({ settings, modelsDir, offlineForced, onUpdate }: Props) {
  const networkLog = useNetworkLog();
  const log = networkLog.entries;
  const [token, setToken] = useState(settings.hfToken);
  const [folder, setFolder] = useState(settings.modelsDir);
  useEffect(() => setToken(settings.hfToken), [settings.hfToken]);
  useEffect(() => setFolder(settings.modelsDir), [settings.modelsDir]);

  return (
    <section aria-label="Network and storage" className="flex flex-col gap-3">
      <label className="flex items-center gap-2">
        <input type="checkbox" aria-label="Offline mode" checked={offlineForced || settings.offline} disabled={offlineForced} onChange={(e) => onUpdate({ offline: e.target.checked })} />
        Offline mode: no search, no downloads
      </label>
      {offlineForced && <p className="text-xs text-fg-muted">HEARTH_OFFLINE=1 keeps Hearth offline.</p>}
      <label className="flex flex-col gap-1">
        Hugging Face token (for gated models)
        <input
          aria-label="Hugging Face token"
          type="password"
          autoComplete="off"
          className="h-8 rounded border border-border bg-bg px-2"
          placeholder="hf_…"
          value={token}
          onChange={(e) => setToken(e.target.value)}
          onBlur={() => token !== settings.hfToken && onUpdate({ hfToken: token.trim() })}
        />
      </label>
      <label className="flex flex-col gap-1">
        Models folder
        <input aria-label="Models folder" className="h-8 rounded border border-border bg-bg px-2" placeholder={modelsDir} value={folder} onChange={(e) => setFolder(e.target.value)} />
      </label>
      <div className="flex gap-2">
        <Button size="sm" disabled={folder === settings.modelsDir} onClick={() => onUpdate({ modelsDir: folder.trim() })}>
          Use this folder
        </Button>
        <span className="self-center text-xs text-fg-muted">New downloads go here; models already downloaded stay where they are.</span>
      </div>
      <div>
        <Button size="sm" variant="ghost" onClick={() => (log ? networkLog.hide() : void networkLog.show())}>
          {log ? "Hide network log" : "Show network log"}
        </Button>
        {log && (
          <ul aria-label="Network log" className="mt-1 max-h-64 space-y-1 overflow-y-auto text-xs tabular-nums">
            {log.length === 0 && <li className="text-fg-muted">No request has left this machine.</li>}
            {log.map((entry) => (
              <li key={entry.id} data-testid="network-entry" className="border-b border-border pb-1">
                <div>
                  {new Date(entry.at).toLocaleTimeString()} · {entry.host} · {entry.purpose} · {entry.error ? `error: ${entry.error}` : (entry.status ?? "…")} · {formatBytes(entry.bytes)}
                </div>
                <div className="truncate text-fg-muted" title={entry.path}>
                  {entry.method} {entry.path}
                </div>
              </li>
            ))}
          </ul>
        )}
      </div>
    </section>
  );
}
