import type { ComponentProps, ReactNode } from "react";
import type { AppSettings } from "../../../../electron/shared/contract";
import { defaultSampling } from "../../../../electron/shared/defaults";
import type { HfTokenView, SettingsPatch } from "../../hooks/useSettings";
import { SamplingForm } from "../SamplingForm";
import { EngineBuildSettings } from "./EngineBuildSettings";
import { NetworkLogTable } from "./NetworkLogTable";
import { NetworkSettings } from "./NetworkSettings";
import { RemoteEnginesSettings } from "./RemoteEnginesSettings";

interface Props {
  settings: AppSettings;
  hfToken: HfTokenView | null;
  dataDir: string;
  modelsDir: string;
  offlineForced: boolean;
  onUpdate(patch: SettingsPatch): Promise<boolean>;
  /** The remote engines section's list and actions. */
  remotes: ComponentProps<typeof RemoteEnginesSettings>;
}

const SECTIONS = [
  { id: "appearance", title: "Appearance" },
  { id: "new-chats", title: "New chats" },
  { id: "network", title: "Network and downloads" },
  { id: "remote-engines", title: "Remote engines" },
  { id: "documents", title: "Documents" },
  { id: "engine", title: "Engine" },
  { id: "network-log", title: "Network log" },
  { id: "storage", title: "Storage" },
] as const;

/** The app's settings, one section each, with a table of contents; a conversation's own settings live beside the chat. */
export function SettingsPage({ settings, hfToken, dataDir, modelsDir, offlineForced, onUpdate, remotes }: Props) {
  return (
    <div className="flex min-h-0 flex-1 overflow-hidden" data-testid="settings-page">
      <nav aria-label="Settings sections" className="hidden w-48 shrink-0 border-r border-border p-4 text-sm md:block">
        <ul className="space-y-1">
          {SECTIONS.map((s) => (
            <li key={s.id}>
              <a className="block rounded px-2 py-1 text-fg-muted hover:bg-muted hover:text-fg" href={`#settings-${s.id}`}>
                {s.title}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <div className="min-w-0 flex-1 space-y-8 overflow-y-auto p-6 text-sm">
        <h1 className="text-xl font-semibold">Settings</h1>
        <Section id="appearance">
          <label className="flex max-w-xs flex-col gap-1">
            Theme
            <select
              aria-label="Theme"
              className="h-8 rounded border border-border bg-bg px-2"
              value={settings.theme}
              onChange={(e) => void onUpdate({ theme: e.target.value as AppSettings["theme"] })}
            >
              <option value="system">Same as the system</option>
              <option value="light">Light</option>
              <option value="dark">Dark</option>
            </select>
          </label>
        </Section>
        <Section
          id="new-chats"
          intro="What every conversation starts with. A model's own defaults (Models → Library) and a conversation's settings go over these."
        >
          <div className="max-w-2xl">
            <SamplingForm
              value={{ systemPrompt: settings.systemPrompt, sampling: settings.sampling }}
              inherited={{ sampling: defaultSampling }}
              onSave={(draft) => onUpdate({ systemPrompt: draft.systemPrompt, sampling: draft.sampling })}
            />
          </div>
        </Section>
        <Section id="network" intro="Hearth goes online only to search the Hugging Face hub, download models you pick, and reach the remote engines you add.">
          <div className="max-w-xl">
            <NetworkSettings settings={settings} hfToken={hfToken} modelsDir={modelsDir} offlineForced={offlineForced} onUpdate={onUpdate} />
          </div>
        </Section>
        <Section
          id="remote-engines"
          intro="Models too big for this machine can run on another: a Hearth (hearth serve --api), llama.cpp's llama-server, vLLM or Ollama. Their models appear in the model picker, marked remote; conversations stay here."
        >
          <div className="max-w-2xl">
            <RemoteEnginesSettings {...remotes} />
          </div>
        </Section>
        <Section id="documents">
          <label className="flex items-center gap-2">
            <input type="checkbox" checked={settings.ocr} onChange={(e) => void onUpdate({ ocr: e.target.checked })} />
            Read scanned PDF pages (no text layer) with OCR, on this machine
          </label>
        </Section>
        <Section
          id="engine"
          intro="Optimize for this machine builds llama.cpp from the source Hearth ships, for this processor and with compute threads that stay between tokens, then benches it against the prebuilt binary on your smallest model and keeps whichever generates faster. It takes a few minutes and needs CMake and a C++ compiler."
        >
          <EngineBuildSettings />
        </Section>
        <Section id="network-log" intro="Every request that left this machine: when, what for, where, and how it ended. Never the contents.">
          <NetworkLogTable />
        </Section>
        <Section id="storage">
          <div className="text-fg-muted">Data folder (conversations, library, documents' index)</div>
          <code data-testid="data-dir" className="break-all">
            {dataDir}
          </code>
        </Section>
      </div>
    </div>
  );
}

function Section({ id, intro, children }: { id: (typeof SECTIONS)[number]["id"]; intro?: string; children: ReactNode }) {
  const title = SECTIONS.find((s) => s.id === id)?.title;
  return (
    <section id={`settings-${id}`} aria-labelledby={`settings-${id}-title`} className="scroll-mt-4 space-y-3">
      <h2 id={`settings-${id}-title`} className="text-base font-semibold">
        {title}
      </h2>
      {intro && <p className="max-w-2xl text-fg-muted">{intro}</p>}
      {children}
    </section>
  );
}
