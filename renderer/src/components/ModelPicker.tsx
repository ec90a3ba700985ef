import { useCallback, useRef, useState } from "react";
import { Play, PowerOff, SlidersHorizontal } from "lucide-react";
import type { EngineState, LoadSettingsPatch, ModelEntry } from "../../../electron/shared/contract";
import type { RemoteEngine } from "../../../electron/shared/remote";
import { useDialogFocus } from "../hooks/useDialogFocus";
import { modelLabel } from "../lib/format";
import { LoadSettingsForm } from "./models/LoadSettingsForm";
import { RemoteModelOptions } from "./RemoteModelOptions";
import { Button } from "./ui/Button";

interface Props {
  models: ModelEntry[];
  /** Remote engines' models, listed after the library's and marked remote. */
  remotes: RemoteEngine[];
  state: EngineState | null;
  onLoad(modelId: string, settings: LoadSettingsPatch): void;
  onEject(): void;
  onSetDefaults(modelId: string, defaults: LoadSettingsPatch | null): void;
}

/**
 * The header's model control: pick a library model (or a remote engine's), load or eject it, and
 * (in a popover) how a local one loads; the engine's state beside it in a fixed width, so the
 * header never jumps.
 */
export function ModelPicker({ models, remotes, state, onLoad, onEject, onSetDefaults }: Props) {
  const [selected, setSelected] = useState<string>("");
  const [tuning, setTuning] = useState(false);
  const current = state?.model?.id ?? "";
  const remoteModels = remotes.reduce((n, r) => n + r.models.length, 0);
  const choice = selected || current || models[0]?.id || remotes.find((r) => r.models.length > 0)?.models[0]?.id || "";
  const model = models.find((m) => m.id === choice) ?? null;
  const loading = state?.status === "loading" || state?.status === "starting";
  const loaded = choice !== "" && choice === current && (state?.status === "ready" || state?.status === "generating");
  const closeTuning = useCallback(() => setTuning(false), []);

  return (
    <div className="relative flex min-w-0 items-center gap-2 text-sm">
      <select
        id="model-select"
        aria-label="Model"
        className="h-8 min-w-0 max-w-[24rem] flex-shrink truncate rounded border border-border bg-bg px-2"
        value={choice}
        onChange={(e) => setSelected(e.target.value)}
      >
        {models.length === 0 && remoteModels === 0 && <option value="">No models yet</option>}
        {remoteModels > 0 && models.length > 0 ? (
          <optgroup label="On this machine">
            {models.map((m) => (
              <option key={m.id} value={m.id}>
                {modelLabel(m)}
              </option>
            ))}
          </optgroup>
        ) : (
          models.map((m) => (
            <option key={m.id} value={m.id}>
              {modelLabel(m)}
            </option>
          ))
        )}
        <RemoteModelOptions remotes={remotes} />
      </select>
      {loaded ? (
        <Button size="sm" variant="ghost" onClick={onEject} title="Unload the model and free its memory">
          <PowerOff size={13} /> Eject
        </Button>
      ) : (
        <Button size="sm" variant="primary" disabled={!choice || loading || model?.missing} onClick={() => onLoad(choice, {})}>
          <Play size={12} /> Load
        </Button>
      )}
      <Button size="icon" variant="ghost" aria-label="Load settings" aria-expanded={tuning} disabled={!model} onClick={() => setTuning((open) => !open)}>
        <SlidersHorizontal size={14} />
      </Button>
      <span data-testid="engine-state" className="flex min-w-0 max-w-[18rem] items-center gap-2 text-fg-muted tabular-nums" title={describeState(state)}>
        {loading && <progress aria-label="Loading model" className="h-1.5 w-16 flex-none" max={1} value={state?.loadProgress ?? 0} />}
        <span className="truncate">{describeState(state)}</span>
      </span>
      {tuning && model && (
        <LoadPopover
          model={model}
          onClose={closeTuning}
          onLoad={(settings) => {
            onLoad(model.id, settings);
            closeTuning();
          }}
          onSetDefaults={(settings) => {
            onSetDefaults(model.id, Object.keys(settings).length > 0 ? settings : null);
            closeTuning();
          }}
        />
      )}
    </div>
  );
}

function LoadPopover({
  model,
  onClose,
  onLoad,
  onSetDefaults,
}: {
  model: ModelEntry;
  onClose(): void;
  onLoad(settings: LoadSettingsPatch): void;
  onSetDefaults(settings: LoadSettingsPatch): void;
}) {
  const panel = useRef<HTMLDivElement>(null);
  useDialogFocus(panel, onClose);
  return (
    <div
      ref={panel}
      tabIndex={-1}
      role="dialog"
      aria-label="Load settings"
      className="absolute left-0 top-full z-20 mt-2 w-[min(30rem,calc(100vw-2rem))] rounded-md border border-border bg-panel p-3 shadow-lg outline-none"
    >
      <p className="mb-2 text-sm font-medium">{model.name}</p>
      <LoadSettingsForm
        model={model}
        initial={model.loadDefaults}
        primary={{ label: "Load", run: onLoad }}
        secondary={{ label: "Save as this model's defaults", run: onSetDefaults }}
      />
    </div>
  );
}

function describeState(state: EngineState | null): string {
  if (!state) return "";
  switch (state.status) {
    case "loading":
      return `loading ${Math.round((state.loadProgress ?? 0) * 100)}%`;
    case "ready":
    case "generating":
      return [state.status, state.backend, state.contextSize ? `${state.contextSize.toLocaleString("en-US")} ctx` : null].filter(Boolean).join(" · ");
    case "crashed":
      return "engine crashed: it restarts with the next message";
    case "stopped":
    case "idle":
      return "no model loaded";
    default:
      return `engine ${state.status}`;
  }
}
