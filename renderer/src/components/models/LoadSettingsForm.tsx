import { useState } from "react";
import { gpuLayersSchema, type LoadSettingsPatch, loadSettingsPatchSchema, type ModelEntry } from "../../../../electron/shared/contract";
import { DEFAULT_CONTEXT_SIZE } from "../../../../electron/shared/defaults";
import { readNumber, ruleFor } from "../../lib/fieldRules";
import { Button } from "../ui/Button";
import { allRead, NumberField } from "../ui/NumberField";

const rules = {
  contextSize: ruleFor("Context size", loadSettingsPatchSchema.shape.contextSize),
  threads: ruleFor("Threads", loadSettingsPatchSchema.shape.threads),
  gpuLayers: ruleFor("GPU layers", gpuLayersSchema.options[2], ["auto", "off"]),
};

interface Action {
  label: string;
  run(settings: LoadSettingsPatch): void;
}

/** How a model loads: context, threads, GPU layers, flash attention; empty fields keep the defaults. */
export function LoadSettingsForm({
  model,
  initial,
  primary,
  secondary,
}: {
  model: ModelEntry;
  initial: LoadSettingsPatch | null;
  primary: Action;
  secondary?: Action;
}) {
  const [contextSize, setContextSize] = useState(initial?.contextSize?.toString() ?? "");
  const [threads, setThreads] = useState(initial?.threads?.toString() ?? "");
  const [gpuLayers, setGpuLayers] = useState(initial?.gpuLayers?.toString() ?? "");
  const [flashAttention, setFlashAttention] = useState(initial?.flashAttention ?? false);
  const fields = [
    { rule: rules.contextSize, value: contextSize },
    { rule: rules.threads, value: threads },
    { rule: rules.gpuLayers, value: gpuLayers },
  ];
  const valid = allRead(fields);
  const settings = (): LoadSettingsPatch => {
    const read = (text: string, rule: (typeof fields)[number]["rule"]) => {
      const reading = readNumber(text, rule);
      return reading.ok ? reading.value : undefined;
    };
    const patch: LoadSettingsPatch = {
      contextSize: read(contextSize, rules.contextSize) as number | undefined,
      threads: read(threads, rules.threads) as number | undefined,
      gpuLayers: read(gpuLayers, rules.gpuLayers) as LoadSettingsPatch["gpuLayers"],
      flashAttention: flashAttention || undefined,
    };
    return Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
  };
  const trained = model.contextLength;
  return (
    <form
      className="flex flex-col gap-3 text-sm"
      aria-label={`Load settings for ${model.name}`}
      onSubmit={(e) => {
        e.preventDefault();
        if (valid) primary.run(settings());
      }}
    >
      <div className="grid grid-cols-[repeat(auto-fill,minmax(9rem,1fr))] gap-3">
        <NumberField
          rule={rules.contextSize}
          value={contextSize}
          onChange={setContextSize}
          placeholder={String(Math.min(trained ?? DEFAULT_CONTEXT_SIZE, DEFAULT_CONTEXT_SIZE))}
          hint={trained ? `Trained on ${trained.toLocaleString("en-US")}` : undefined}
        />
        <NumberField rule={rules.threads} value={threads} onChange={setThreads} placeholder="auto" hint="Empty: the physical cores" />
        <NumberField rule={rules.gpuLayers} value={gpuLayers} onChange={setGpuLayers} placeholder="auto" hint="auto, off, or a number" />
      </div>
      <label className="flex items-center gap-2">
        <input type="checkbox" checked={flashAttention} onChange={(e) => setFlashAttention(e.target.checked)} />
        Flash attention
      </label>
      <div className="flex flex-wrap gap-2">
        <Button type="submit" size="sm" variant="primary" disabled={!valid}>
          {primary.label}
        </Button>
        {secondary && (
          <Button size="sm" disabled={!valid} onClick={() => secondary.run(settings())}>
            {secondary.label}
          </Button>
        )}
      </div>
    </form>
  );
}
