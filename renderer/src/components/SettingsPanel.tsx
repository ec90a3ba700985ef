import { useEffect, useState } from "react";
import { X } from "lucide-react";
import type { AppSettings, Conversation, SamplingSettings } from "../../../electron/shared/contract";
import { defaultSampling } from "../../../electron/shared/defaults";
import type { HfTokenView, SettingsPatch } from "../hooks/useSettings";
import { NetworkSettings } from "./NetworkSettings";
import { Button } from "./ui/Button";

interface Props {
  conversation: Conversation | null;
  settings: AppSettings;
  hfToken: HfTokenView | null;
  dataDir: string;
  modelsDir: string;
  offlineForced: boolean;
  onClose(): void;
  onUpdateConversation(patch: { systemPrompt: string | null; sampling: SamplingSettings }): void;
  onUpdateApp(patch: SettingsPatch): void;
}

const fields: { key: keyof SamplingSettings; label: string; step: number; integer?: boolean }[] = [
  { key: "temperature", label: "Temperature", step: 0.05 },
  { key: "topK", label: "Top K", step: 1, integer: true },
  { key: "topP", label: "Top P", step: 0.01 },
  { key: "minP", label: "Min P", step: 0.01 },
  { key: "repeatPenalty", label: "Repeat penalty", step: 0.05 },
  { key: "maxTokens", label: "Max tokens", step: 1, integer: true },
  { key: "seed", label: "Seed", step: 1, integer: true },
];

/** Slides over the right edge: this conversation's prompt and sampling, then the app's defaults. */
export function SettingsPanel({ conversation, settings, hfToken, dataDir, modelsDir, offlineForced, onClose, onUpdateConversation, onUpdateApp }: Props) {
  const scope = conversation ? "conversation" : "app";
  const [systemPrompt, setSystemPrompt] = useState("");
  const [sampling, setSampling] = useState<SamplingSettings>({});

  useEffect(() => {
    setSystemPrompt((conversation ? conversation.systemPrompt : settings.systemPrompt) ?? "");
    setSampling(conversation ? conversation.sampling : settings.sampling);
  }, [conversation, settings]);

  // Escape closes the panel, as it closes every panel over the chat.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && onClose();
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [onClose]);

  const inherited = { ...defaultSampling, ...(conversation ? settings.sampling : {}) };
  const save = () => {
    if (conversation) onUpdateConversation({ systemPrompt: systemPrompt.trim() ? systemPrompt : null, sampling });
    else onUpdateApp({ systemPrompt, sampling });
  };

  return (
    <aside
      aria-label="Settings"
      className="absolute inset-y-0 right-0 z-10 flex w-80 flex-col gap-3 overflow-y-auto border-l border-border bg-panel p-4 text-sm shadow-lg"
    >
      <div className="flex items-center justify-between">
        <h2 className="font-semibold">{scope === "conversation" ? "This conversation" : "Defaults for new chats"}</h2>
        <Button size="icon" variant="ghost" aria-label="Close settings" onClick={onClose}>
          <X size={14} />
        </Button>
      </div>
      <label className="flex flex-col gap-1">
        System prompt
        <textarea
          aria-label="System prompt"
          rows={4}
          className="rounded border border-border bg-bg p-2"
          value={systemPrompt}
          onChange={(e) => setSystemPrompt(e.target.value)}
        />
      </label>
      <div className="grid grid-cols-2 gap-2">
        {fields.map((field) => (
          <label key={field.key} className="flex flex-col gap-1">
            {field.label}
            <input
              aria-label={field.label}
              type="number"
              step={field.step}
              placeholder={String(inherited[field.key as keyof typeof inherited] ?? "")}
              className="h-8 rounded border border-border bg-bg px-2 tabular-nums"
              value={(sampling[field.key] as number | undefined) ?? ""}
              onChange={(e) => {
                const value = e.target.value === "" ? undefined : field.integer ? Math.round(Number(e.target.value)) : Number(e.target.value);
                setSampling((current) => ({ ...current, [field.key]: value }));
              }}
            />
          </label>
        ))}
      </div>
      <Button variant="primary" onClick={save}>
        Save
      </Button>
      <hr className="border-border" />
      <label className="flex flex-col gap-1">
        Theme
        <select
          aria-label="Theme"
          className="h-8 rounded border border-border bg-bg px-2"
          value={settings.theme}
          onChange={(e) => onUpdateApp({ theme: e.target.value as AppSettings["theme"] })}
        >
          <option value="system">System</option>
          <option value="light">Light</option>
          <option value="dark">Dark</option>
        </select>
      </label>
      <hr className="border-border" />
      <NetworkSettings settings={settings} hfToken={hfToken} modelsDir={modelsDir} offlineForced={offlineForced} onUpdate={onUpdateApp} />
      <div>
        <div className="text-fg-muted">Data folder</div>
        <code data-testid="data-dir" className="break-all">
          {dataDir}
        </code>
      </div>
    </aside>
  );
}
