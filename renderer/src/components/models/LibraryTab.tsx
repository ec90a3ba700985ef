import { type ComponentProps, useState } from "react";
import { FileSearch, FolderOpen, Pencil, Play, SlidersHorizontal, Trash2 } from "lucide-react";
import type { LoadSettingsPatch, ModelEntry, SamplingSettings } from "../../../../electron/shared/contract";
import { SamplingForm, type SamplingDraft } from "../SamplingForm";
import { formatBytes, formatParams } from "../../lib/format";
import { Button } from "../ui/Button";
import { TableHead } from "../ui/TableHead";
import { ImportModel } from "./ImportModel";
import { LoadSettingsForm } from "./LoadSettingsForm";

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
  onSetDefaults(id: string, defaults: LoadSettingsPatch | null): void;
  onRename(id: string, name: string | null): void;
  onSetSampling(id: string, sampling: SamplingSettings | null): Promise<boolean>;
  samplingInherited: SamplingSettings;
  onShowInFolder?(id: string): void;
  onImport: ComponentProps<typeof ImportModel>["onImport"];
  onBrowseImport?: ComponentProps<typeof ImportModel>["onBrowse"];
}

/** Local models with their metadata, disk use, per-model load defaults, and delete; a missing file can be located. */
export function LibraryTab(props: Props) {
  const { models, loadedId, storage, onLoad, onRemove, onLocate, onBrowse, onSetDefaults, onRename, onShowInFolder } = props;
  const [locating, setLocating] = useState<string | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  return (
    <div className="space-y-3">
      <ImportModel onImport={props.onImport} onBrowse={props.onBrowseImport} />
      {storage && (
        <p className="text-sm text-fg-muted tabular-nums" data-testid="library-storage">
          {models.length} model(s) · {formatBytes(storage.ownedBytes)} downloaded or copied into <code>{storage.modelsDir}</code> ·{" "}
          {formatBytes(storage.freeBytes)} free on that disk
        </p>
      )}
      {models.length === 0 ? (
        <p className="text-sm text-fg-muted">The library is empty. Download a model under Discover, or import a GGUF file above.</p>
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
                  onRename={(name) => onRename(m.id, name)}
                  onSaveSampling={(draft) => props.onSetSampling(m.id, Object.keys(draft.sampling).length > 0 ? draft.sampling : null)}
                  inherited={props.samplingInherited}
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
  onSave(defaults: LoadSettingsPatch | null): void;
  onRename(name: string | null): void;
  onSaveSampling(draft: SamplingDraft): Promise<boolean>;
  /** The app's sampling defaults, which a model's own go over. */
  inherited: SamplingSettings;
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
    onRename,
    onSaveSampling,
    inherited,
    onAskRemove,
    onRemove,
    onKeep,
    onShowInFolder,
    locating,
    onAskLocate,
    onLocate,
    onBrowse,
  } = props;
  const owned = m.storage !== "referenced" && !m.missing;
  return (
    <>
      <tr data-testid="library-row" className="border-t border-border">
        <td className="px-2 py-1">
          <ModelName model={m} onRename={onRename} />
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
          <Button size="icon" variant="ghost" aria-label={`Settings for ${m.name}`} aria-expanded={editing} onClick={onEdit}>
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
                {owned ? `Delete file (${formatBytes(m.fileSize)})` : "Remove from library"}
              </Button>
              <Button size="sm" variant="ghost" onClick={onKeep}>
                Keep
              </Button>
            </>
          ) : (
            <Button
              size="sm"
              variant="ghost"
              aria-label={`${owned ? "Delete" : "Remove"} ${m.name}`}
              title={
                owned
                  ? `Delete the file Hearth ${m.storage === "downloaded" ? "downloaded" : "copied"} (${formatBytes(m.fileSize)})`
                  : "Remove from the library; the file stays where it is"
              }
              onClick={onAskRemove}
            >
              <Trash2 size={13} /> {owned ? "Delete" : "Remove"}
            </Button>
          )}
        </td>
      </tr>
      {editing && (
        <tr>
          <td colSpan={10} className="px-2 pb-2">
            <div className="grid gap-4 rounded-md bg-panel p-3 lg:grid-cols-2">
              <section aria-label={`How ${m.name} loads`} className="space-y-2">
                <h3 className="font-medium">How it loads</h3>
                <LoadSettingsForm
                  model={m}
                  initial={m.loadDefaults}
                  primary={{ label: "Save load defaults", run: (settings) => onSave(Object.keys(settings).length > 0 ? settings : null) }}
                />
              </section>
              <section aria-label={`How ${m.name} replies`} className="space-y-2">
                <h3 className="font-medium">How it replies</h3>
                <p className="text-xs text-fg-muted">Over the app's defaults (Settings → New chats); a conversation's own settings go over these.</p>
                <SamplingForm value={{ systemPrompt: null, sampling: m.samplingDefaults ?? {} }} inherited={{ sampling: inherited }} onSave={onSaveSampling} />
              </section>
            </div>
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

/** The model's name, renamed in place: Enter keeps, Escape cancels, an empty name goes back to the derived one. */
function ModelName({ model, onRename }: { model: ModelEntry; onRename(name: string | null): void }) {
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(model.name);
  if (!editing) {
    return (
      <div className="flex items-center gap-1">
        <span className="font-medium">{model.name}</span>
        <Button
          size="icon"
          variant="ghost"
          className="h-6 w-6"
          aria-label={`Rename ${model.name}`}
          onClick={() => {
            setName(model.name);
            setEditing(true);
          }}
        >
          <Pencil size={12} />
        </Button>
      </div>
    );
  }
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        const typed = name.trim();
        if (typed !== model.name) onRename(typed || null);
        setEditing(false);
      }}
    >
      <input
        aria-label="Model name"
        // biome-ignore lint/a11y/noAutofocus: the field replaces the name the user asked to edit
        autoFocus
        maxLength={200}
        className="h-7 w-56 rounded border border-border bg-bg px-2"
        value={name}
        placeholder="Empty: the name from the file"
        onChange={(e) => setName(e.target.value)}
        onKeyDown={(e) => e.key === "Escape" && setEditing(false)}
        onBlur={() => setEditing(false)}
      />
    </form>
  );
}
