import { useState } from "react";
import { RefreshCw, Trash2 } from "lucide-react";
import type { RemoteEngine } from "../../../../electron/shared/remote";
import { Button } from "../ui/Button";

interface Props {
  remotes: RemoteEngine[];
  onAdd(input: { name: string; baseUrl: string; key?: string }): Promise<boolean>;
  onRemove(id: string): void;
  onRefresh(): void;
}

const FIELD = "h-8 rounded border border-border bg-bg px-2";

/** Remote engines: the servers added (address, key set or not, models or why they cannot be read), and a form to add one. */
export function RemoteEnginesSettings({ remotes, onAdd, onRemove, onRefresh }: Props) {
  const [name, setName] = useState("");
  const [baseUrl, setBaseUrl] = useState("");
  // Write-only, as the Hugging Face token: the page never receives a key back.
  const [key, setKey] = useState("");
  const [adding, setAdding] = useState(false);

  const add = async () => {
    setAdding(true);
    const added = await onAdd({ name: name.trim(), baseUrl: baseUrl.trim(), ...(key.trim() ? { key: key.trim() } : {}) });
    setAdding(false);
    if (!added) return;
    setName("");
    setBaseUrl("");
    setKey("");
  };

  return (
    <div className="flex flex-col gap-4">
      {remotes.length > 0 && (
        <ul aria-label="Remote engines" className="flex flex-col gap-2">
          {remotes.map((remote) => (
            <li key={remote.id} className="flex flex-wrap items-start gap-x-3 gap-y-1 rounded-md border border-border p-3">
              <div className="min-w-0 flex-1">
                <p className="font-medium">{remote.name}</p>
                <p className="break-all text-xs text-fg-muted">
                  {remote.baseUrl} · {remote.key.set ? `key …${remote.key.last4 ?? ""}` : "no key"}
                </p>
                {remote.error ? (
                  <p className="mt-1 text-xs text-danger">{remote.error}</p>
                ) : (
                  <p className="mt-1 text-xs">{remote.models.length === 0 ? "Serves no models." : `Models: ${remote.models.map((m) => m.model).join(", ")}`}</p>
                )}
              </div>
              <Button size="sm" variant="ghost" aria-label={`Remove ${remote.name}`} onClick={() => onRemove(remote.id)}>
                <Trash2 size={13} /> Remove
              </Button>
            </li>
          ))}
        </ul>
      )}
      {remotes.length > 0 && (
        <div>
          <Button size="sm" variant="ghost" onClick={onRefresh}>
            <RefreshCw size={13} /> Check again
          </Button>
        </div>
      )}
      <form
        aria-label="Add a remote engine"
        className="flex flex-col gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          void add();
        }}
      >
        <div className="grid gap-2 sm:grid-cols-[10rem_1fr]">
          <label className="flex flex-col gap-1">
            Name
            <input aria-label="Remote engine name" className={FIELD} placeholder="box" value={name} onChange={(e) => setName(e.target.value)} />
          </label>
          <label className="flex min-w-0 flex-col gap-1">
            Address
            <input
              aria-label="Remote engine address"
              className={FIELD}
              placeholder="http://192.168.1.20:8080/v1"
              value={baseUrl}
              onChange={(e) => setBaseUrl(e.target.value)}
            />
          </label>
        </div>
        <label className="flex flex-col gap-1">
          API key (if the server asks for one)
          <input
            aria-label="Remote engine key"
            type="password"
            autoComplete="off"
            className={FIELD}
            placeholder="Kept in the keychain; never shown again"
            value={key}
            onChange={(e) => setKey(e.target.value)}
          />
        </label>
        <div className="flex items-center gap-2">
          <Button size="sm" type="submit" variant="primary" disabled={adding || !name.trim() || !baseUrl.trim()}>
            {adding ? "Checking…" : "Add"}
          </Button>
          <span className="text-xs text-fg-muted">
            Hearth asks the server for its models first; replies are in the network log and offline mode refuses them.
          </span>
        </div>
      </form>
    </div>
  );
}
