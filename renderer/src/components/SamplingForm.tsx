import { useEffect, useId, useState } from "react";
import { type SamplingSettings, samplingSettingsSchema } from "../../../electron/shared/contract";
import { readNumber, ruleFor } from "../lib/fieldRules";
import { Button } from "./ui/Button";
import { allRead, NumberField } from "./ui/NumberField";

type NumberKey = Exclude<keyof SamplingSettings, "stop">;
const shape = samplingSettingsSchema.shape;
const FIELDS: { key: NumberKey; rule: ReturnType<typeof ruleFor> }[] = [
  { key: "temperature", rule: ruleFor("Temperature", shape.temperature) },
  { key: "topK", rule: ruleFor("Top K", shape.topK) },
  { key: "topP", rule: ruleFor("Top P", shape.topP) },
  { key: "minP", rule: ruleFor("Min P", shape.minP) },
  { key: "repeatPenalty", rule: ruleFor("Repeat penalty", shape.repeatPenalty) },
  { key: "maxTokens", rule: ruleFor("Max tokens", shape.maxTokens) },
  { key: "seed", rule: ruleFor("Seed", shape.seed) },
];

export interface SamplingDraft {
  systemPrompt: string;
  sampling: SamplingSettings;
}

interface Props {
  /** The stored values; null system prompt: the form has no prompt field (a model's defaults). */
  value: { systemPrompt: string | null; sampling: SamplingSettings };
  /** What each empty field falls back to, shown as its placeholder. */
  inherited: { systemPrompt?: string; sampling: SamplingSettings };
  /** Resolves false when the save failed (the error is reported elsewhere). */
  onSave(draft: SamplingDraft): Promise<boolean>;
}

const asText = (sampling: SamplingSettings) => Object.fromEntries(FIELDS.map((f) => [f.key, sampling[f.key]?.toString() ?? ""])) as Record<NumberKey, string>;

/**
 * A system prompt and the sampling numbers, each empty field falling back to the level below
 * (shown as its placeholder). Bad numbers are explained beside their field; Save says when it is done.
 */
export function SamplingForm({ value, inherited, onSave }: Props) {
  const id = useId();
  const [prompt, setPrompt] = useState(value.systemPrompt ?? "");
  const [texts, setTexts] = useState(() => asText(value.sampling));
  const [saved, setSaved] = useState(false);
  // Back to the stored values when they change (saved here or elsewhere); a new object of the same values changes nothing.
  const stored = JSON.stringify(value);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `stored` stands for `value`
  useEffect(() => {
    setPrompt(value.systemPrompt ?? "");
    setTexts(asText(value.sampling));
  }, [stored]);
  useEffect(() => {
    if (!saved) return;
    const timer = setTimeout(() => setSaved(false), 2500);
    return () => clearTimeout(timer);
  }, [saved]);

  const valid = allRead(FIELDS.map((f) => ({ rule: f.rule, value: texts[f.key] })));
  const save = async () => {
    const sampling: SamplingSettings = {};
    for (const field of FIELDS) {
      const reading = readNumber(texts[field.key], field.rule);
      if (reading.ok && typeof reading.value === "number") sampling[field.key] = reading.value;
    }
    // Stop strings have no field here; the stored ones are kept.
    if (value.sampling.stop) sampling.stop = value.sampling.stop;
    setSaved(await onSave({ systemPrompt: prompt, sampling }));
  };

  return (
    <form
      className="flex flex-col gap-3 text-sm"
      onSubmit={(e) => {
        e.preventDefault();
        if (valid) void save();
      }}
    >
      {value.systemPrompt !== null && (
        <div className="flex flex-col gap-1">
          <label htmlFor={`${id}-prompt`}>System prompt</label>
          <textarea
            id={`${id}-prompt`}
            rows={4}
            className="rounded border border-border bg-bg p-2"
            placeholder={inherited.systemPrompt || "None"}
            value={prompt}
            onChange={(e) => {
              setPrompt(e.target.value);
              setSaved(false);
            }}
          />
        </div>
      )}
      <div className="grid grid-cols-[repeat(auto-fill,minmax(8.5rem,1fr))] gap-3">
        {FIELDS.map((field) => (
          <NumberField
            key={field.key}
            rule={field.rule}
            value={texts[field.key]}
            placeholder={inherited.sampling[field.key]?.toString() ?? (field.key === "seed" ? "random" : "")}
            onChange={(text) => {
              setTexts((current) => ({ ...current, [field.key]: text }));
              setSaved(false);
            }}
          />
        ))}
      </div>
      <div className="flex items-center gap-3">
        <Button type="submit" size="sm" variant="primary" disabled={!valid}>
          Save
        </Button>
        <span role="status" className="text-xs text-fg-muted">
          {saved ? "Saved." : valid ? "Empty fields use the value shown in grey." : "Fix the fields marked in red to save."}
        </span>
      </div>
    </form>
  );
}
