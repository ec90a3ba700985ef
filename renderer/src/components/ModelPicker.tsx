import { useState } from "react";
import type { EngineState, LoadSettingsPatch, ModelEntry } from "../../../electron/shared/contract";
import { Button } from "./ui/Button";

interface Props {
  models: ModelEntry[];
  state: EngineState | null;
  onLoad(modelId: string, settings: LoadSettingsPatch): void;
  onImport(path: string): void;
  /** Opens the system's file dialog (desktop app only). */
  onBrowse?: () => void;
}

/** Pick a library model and load it with settings; shows the engine's state and loading progress. */
export function ModelPicker({ models, state, onLoad, onImport, onBrowse }: Props) {
  const [selected, setSelected] = useState<string>("");
  const [contextSize, setContextSize] = useState("");
  const [threads, setThreads] = useState("");
  const [gpuLayers, setGpuLayers] = useState("auto");
  const [flashAttention, setFlashAttention] = useState(false);
  const [importPath, setImportPath] = useState("");
  const current = state?.model?.id ?? "";
  const choice = selected || current || models[0]?.id || "";
  const loading = state?.status === "loading";
  const gpuValid = /^(auto|off|\d+)$/.test(gpuLayers);

  return (
    <div className="flex flex-wrap items-center gap-2 text-sm">
      <label className="sr-only" htmlFor="model-select">
        Model
      </label>
      <select
        id="model-select"
        aria-label="Model"
        className="h-8 rounded border border-border bg-bg px-2"
        value={choice}
        onChange={(e) => setSelected(e.target.value)}
      >
        {models.length === 0 && <option value="">No models yet</option>}
        {models.map((m) => (
          <option key={m.id} value={m.id}>
            {m.name} ({m.id}
            {m.quantization ? `, ${m.quantization}` : ""})
          </option>
        ))}
      </select>
      <input
        aria-label="Context size"
        placeholder="ctx"
        inputMode="numeric"
        className="h-8 w-20 rounded border border-border bg-bg px-2"
        value={contextSize}
        onChange={(e) => setContextSize(e.target.value)}
      />
      <input
        aria-label="Threads"
        placeholder="threads"
        inputMode="numeric"
        className="h-8 w-20 rounded border border-border bg-bg px-2"
        value={threads}
        onChange={(e) => setThreads(e.target.value)}
      />
      <input
        aria-label="GPU layers"
        title="GPU layers: auto, off, or a number"
        aria-invalid={!gpuValid}
        className={`h-8 w-16 rounded border bg-bg px-2 ${gpuValid ? "border-border" : "border-danger"}`}
        value={gpuLayers}
        onChange={(e) => setGpuLayers(e.target.value)}
      />
      <label className="flex items-center gap-1 text-fg-muted">
        <input type="checkbox" aria-label="Flash attention" checked={flashAttention} onChange={(e) => setFlashAttention(e.target.checked)} />
        flash attn
      </label>
      <Button
        size="sm"
        variant="primary"
        disabled={!choice || loading || !gpuValid}
        onClick={() =>
          onLoad(choice, {
            ...(contextSize ? { contextSize: Number(contextSize) } : {}),
            ...(threads ? { threads: Number(threads) } : {}),
            gpuLayers: gpuLayers === "auto" || gpuLayers === "off" ? gpuLayers : Number(gpuLayers),
            ...(flashAttention ? { flashAttention } : {}),
          })
        }
      >
        Load
      </Button>
      <span data-testid="engine-state" className="flex items-center gap-2 text-fg-muted tabular-nums">
        {loading && <progress aria-label="Loading model" className="h-1.5 w-20" max={1} value={state?.loadProgress ?? 0} />}
        {describeState(state)}
      </span>
      <form
        className="ml-auto flex items-center gap-1"
        onSubmit={(event) => {
          event.preventDefault();
          if (importPath.trim()) onImport(importPath.trim());
          setImportPath("");
        }}
      >
        <input
          aria-label="GGUF file path"
          placeholder="/path/to/model.gguf"
          className="h-8 w-64 rounded border border-border bg-bg px-2"
          value={importPath}
          onChange={(e) => setImportPath(e.target.value)}
        />
        <Button size="sm" type="submit">
          Import
        </Button>
        {onBrowse && (
          <Button size="sm" variant="ghost" onClick={onBrowse}>
            Browse…
          </Button>
        )}
      </form>
    </div>
  );
}

function describeState(state: EngineState | null): string {
  if (!state) return "";
  switch (state.status) {
    case "loading":
      return `loading ${state.model?.name ?? ""} ${Math.round((state.loadProgress ?? 0) * 100)}%`;
    case "ready":
    case "generating":
      return `${state.status}: ${state.model?.name} · ${state.backend} · ${state.contextSize} ctx`;
    case "crashed":
      return "engine crashed: it restarts with the next message";
    default:
      return `engine: ${state.status}`;
  }
}
