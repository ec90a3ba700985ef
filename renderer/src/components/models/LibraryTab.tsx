import { useState } from "react";
import { FileSearch, FolderOpen, Play, SlidersHorizontal, Trash2 } from "lucide-react";
import type { LoadSettings, ModelEntry } from "../../../../electron/shared/contract";
import { formatBytes, formatParams } from "../../lib/format";
import { Button } from "../ui/Button";
import { TableHead } from "../ui/TableHead";

interface Props {
  models: ModelEntry[];
  loadedId: string | null;
  storage: { modelsDir: string; ownedBytes: number; freeBytes: number } | null;
  onLoad(id: string): void;
  onRemove(id: string): void;
  /** Points a model whose file went missing at where it is now. */
  onLocate(id: string, path: string): void;
  /** The desktop app's file dialog; browser mode types the path. */
  onBrowse?: () => Promise<string | null>;
  onSetDefaults(id: string, defaults: Partial<LoadSettings> | null): void;
  onShowInFolder?(id: string): void;
}

/** Local models with their metadata, disk use, per-model load defaults, and delete; a missing file can be located. */
export function LibraryTab({ models, loadedId, storage, onLoad, onRemove, onLocate, onBrowse, onSetDefaults, onShowInFolder }: Props) {
  const [locating, setLocating] = useState<string | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  return (
    <div className="space-y-2">
      {storage && (
        <p className="text-sm text-fg-muted tabular-nums" data-testid="library-storage">
          {models.length} model(s) · {formatBytes(storage.ownedBytes)} downloaded or copied into <code>{storage.modelsDir}</code> ·{" "}
          {formatBytes(storage.freeBytes)} free on that disk
        </p>
      )}
      {models.length === 0 ? (
        <p className="text-sm text-fg-muted">The library is empty. Download a model under Discover, or import a GGUF file from the model picker.</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-sm tabular-nums">
            <TableHead columns={["Model", "Architecture", "Parameters", "Quant", "Context", "Size", "Template", "Source", "Last used", ""]} />
            <tbody>
              {models.map((m) => (
                <LibraryRow
                  key={m.id}
                  model={m}
                  loaded={m.id === loadedId}
                  editing={editing === m.id}
                  confirming={confirming === m.id}
                  onLoad={() => onLoad(m.id)}
                  onEdit={() => setEditing(editing === m.id ? null : m.id)}
                  onSave={(defaults) => {
                    onSetDefaults(m.id, defaults);
                    setEditing(null);
                  }}
                  onAskRemove={() => setConfirming(m.id)}
                  onRemove={() => {
                    onRemove(m.id);
                    setConfirming(null);
                  }}
                  onKeep={() => setConfirming(null)}
                  onShowInFolder={onShowInFolder && (() => onShowInFolder(m.id))}
                  locating={locating === m.id}
                  onAskLocate={() => setLocating(locating === m.id ? null : m.id)}
                  onLocate={(path) => {
                    onLocate(m.id, path);
                    setLocating(null);
                  }}
                  onBrowse={onBrowse}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

interface RowProps {
  model: ModelEntry;
  loaded: boolean;
  editing: boolean;
  confirming: boolean;
  onLoad(): void;
  onEdit(): void;
  onSave(defaults: Partial<LoadSettings> | null): void;
  onAskRemove(): void;
  onRemove(): void;
  onKeep(): void;
  onShowInFolder?: () => void;
  locating: boolean;
  onAskLocate(): void;
  onLocate(path: string): void;
  onBrowse?: () => Promise<string | null>;
}

function LibraryRow(props: RowProps) {
  const {
    model: m,
    loaded,
    editing,
    confirming,
    onLoad,
    onEdit,
    onSave,
    onAskRemove,
    onRemove,
    onKeep,
    onShowInFolder,
    locating,
    onAskLocate,
    onLocate,
    onBrowse,
  } = props;
  return (
    <>
      <tr data-testid="library-row" className="border-t border-border">
        <td className="px-2 py-1">
          <div className="font-medium">{m.name}</div>
          <div className="text-xs text-fg-muted">{m.id}</div>
          {m.missing && (
            <div data-testid="model-missing" className="mt-0.5 text-xs text-danger" title={m.path}>
              File missing: {m.path}
            </div>
          )}
        </td>
        <td className="px-2 py-1">{m.architecture ?? "?"}</td>
        <td className="px-2 py-1">{formatParams(m.parameterCount)}</td>
        <td className="px-2 py-1">{m.quantization ?? "?"}</td>
        <td className="px-2 py-1">{m.contextLength?.toLocaleString("en-US") ?? "?"}</td>
        <td className="px-2 py-1">{formatBytes(m.fileSize)}</td>
        <td className="px-2 py-1">{m.hasChatTemplate ? "yes" : "none"}</td>
        <td className="px-2 py-1 text-xs">{m.sourceRepo ?? (m.storage === "referenced" ? "local file" : "imported copy")}</td>
        <td className="px-2 py-1 text-xs">{m.lastUsedAt ? new Date(m.lastUsedAt).toLocaleDateString() : "never"}</td>
        <td className="whitespace-nowrap px-2 py-1 text-right">
          {m.missing ? (
            <Button size="sm" variant="primary" aria-label={`Locate ${m.name}`} aria-expanded={locating} onClick={onAskLocate}>
              <FileSearch size={12} /> Locate…
            </Button>
          ) : (
            <Button size="sm" variant={loaded ? "secondary" : "primary"} disabled={loaded} aria-label={`Load ${m.name}`} onClick={onLoad}>
              <Play size={12} /> {loaded ? "Loaded" : "Load"}
            </Button>
          )}
          <Button size="icon" variant="ghost" aria-label="Load defaults" aria-expanded={editing} onClick={onEdit}>
            <SlidersHorizontal size={13} />
          </Button>
          {onShowInFolder && (
            <Button size="icon" variant="ghost" aria-label="Show in folder" onClick={onShowInFolder}>
              <FolderOpen size={13} />
            </Button>
          )}
          {confirming ? (
            <>
              <Button size="sm" variant="danger" onClick={onRemove}>
                {m.storage === "referenced" || m.missing ? "Remove from library" : "Delete file"}
              </Button>
              <Button size="sm" variant="ghost" onClick={onKeep}>
                Keep
              </Button>
            </>
          ) : (
            <Button size="icon" variant="ghost" aria-label={`Delete ${m.name}`} onClick={onAskRemove}>
              <Trash2 size={13} />
            </Button>
          )}
        </td>
      </tr>
      {editing && (
        <tr>
          <td colSpan={10} className="px-2 pb-2">
            <DefaultsForm model={m} onSave={onSave} />
          </td>
        </tr>
      )}
      {locating && (
        <tr>
          <td colSpan={10} className="px-2 pb-2">
            <LocateForm model={m} onLocate={onLocate} onBrowse={onBrowse} />
          </td>
        </tr>
      )}
    </>
  );
}

/** Where the missing file is now: typed (browser mode) or picked with the system's dialog. */
function LocateForm({ model, onLocate, onBrowse }: { model: ModelEntry; onLocate(path: string): void; onBrowse?: () => Promise<string | null> }) {
  const [path, setPath] = useState("");
  return (
    <form
      className="flex flex-wrap items-end gap-2 rounded-md bg-panel p-2 text-sm"
      onSubmit={(e) => {
        e.preventDefault();
        if (path.trim()) onLocate(path.trim());
      }}
    >
      <label className="flex min-w-64 flex-1 flex-col gap-1">
        Where is {model.name} now?
        <input
          aria-label="New path of the model file"
          className="h-8 rounded border border-border bg-bg px-2"
          placeholder="/path/to/model.gguf"
          value={path}
          onChange={(e) => setPath(e.target.value)}
        />
      </label>
      {onBrowse && (
        <Button type="button" size="sm" variant="secondary" onClick={() => void onBrowse().then((picked) => picked && onLocate(picked))}>
          Browse…
        </Button>
      )}
      <Button type="submit" size="sm" variant="primary" disabled={!path.trim()}>
        Use this file
      </Button>
    </form>
  );
}

/** The load settings this model starts with (empty fields keep Hearth's defaults). */
function DefaultsForm({ model, onSave }: { model: ModelEntry; onSave(defaults: Partial<LoadSettings> | null): void }) {
  const current = model.loadDefaults ?? {};
  const [contextSize, setContextSize] = useState(current.contextSize?.toString() ?? "");
  const [gpuLayers, setGpuLayers] = useState(current.gpuLayers?.toString() ?? "");
  const [threads, setThreads] = useState(current.threads?.toString() ?? "");
  const number = (text: string) => (text.trim() === "" ? undefined : Math.max(1, Math.round(Number(text))));
  const save = () => {
    const layers = gpuLayers.trim() === "" ? undefined : gpuLayers === "auto" || gpuLayers === "off" ? gpuLayers : Math.max(0, Math.round(Number(gpuLayers)));
    const defaults = Object.fromEntries(
      Object.entries({ contextSize: number(contextSize), gpuLayers: layers, threads: number(threads) }).filter(([, v]) => v !== undefined),
    );
    onSave(Object.keys(defaults).length > 0 ? (defaults as Partial<LoadSettings>) : null);
  };
  const field = "h-8 w-28 rounded border border-border bg-bg px-2";
  return (
    <form
      className="flex flex-wrap items-end gap-3 rounded-md bg-panel p-2 text-sm"
      onSubmit={(e) => {
        e.preventDefault();
        save();
      }}
    >
      <label className="flex flex-col gap-1">
        Context size
        <input
          aria-label="Default context size"
          className={field}
          inputMode="numeric"
          placeholder={String(model.contextLength ?? 4096)}
          value={contextSize}
          onChange={(e) => setContextSize(e.target.value)}
        />
      </label>
      <label className="flex flex-col gap-1">
        GPU layers
        <input aria-label="Default GPU layers" className={field} placeholder="auto" value={gpuLayers} onChange={(e) => setGpuLayers(e.target.value)} />
      </label>
      <label className="flex flex-col gap-1">
        Threads
        <input
          aria-label="Default threads"
          className={field}
          inputMode="numeric"
          placeholder="physical cores"
          value={threads}
          onChange={(e) => setThreads(e.target.value)}
        />
      </label>
      <Button type="submit" size="sm" variant="primary">
        Save defaults
      </Button>
    </form>
  );
}
