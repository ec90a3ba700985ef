import { useRef } from "react";
import { X } from "lucide-react";
import type { AppSettings, Conversation, ModelEntry, SamplingSettings } from "../../../electron/shared/contract";
import { defaultSampling } from "../../../electron/shared/defaults";
import { useDialogFocus } from "../hooks/useDialogFocus";
import { SamplingForm } from "./SamplingForm";
import { Button } from "./ui/Button";

interface Props {
  conversation: Conversation;
  settings: AppSettings;
  /** The conversation's model: its own defaults sit between the app's and the conversation's. */
  model: ModelEntry | null;
  onClose(): void;
  onSave(patch: { systemPrompt: string | null; sampling: SamplingSettings }): Promise<boolean>;
  onOpenAppSettings(): void;
}

/** Over the chat's right edge: this conversation's system prompt and sampling, over the model's and the app's. */
export function ChatSettingsPanel({ conversation, settings, model, onClose, onSave, onOpenAppSettings }: Props) {
  const panel = useRef<HTMLElement>(null);
  useDialogFocus(panel, onClose);
  const inherited = { ...defaultSampling, ...settings.sampling, ...model?.samplingDefaults };
  return (
    <aside
      ref={panel}
      tabIndex={-1}
      aria-label="Chat settings"
      className="absolute inset-y-0 right-0 z-10 flex w-[min(24rem,100%)] flex-col gap-3 overflow-y-auto border-l border-border bg-panel p-4 text-sm shadow-lg outline-none"
    >
      <div className="flex items-center justify-between">
        <h2 className="font-semibold">Chat settings</h2>
        <Button size="icon" variant="ghost" aria-label="Close chat settings" onClick={onClose}>
          <X size={14} />
        </Button>
      </div>
      <p className="text-xs text-fg-muted">
        For “{conversation.title}” only. Empty fields follow {model?.samplingDefaults ? `${model.name}'s defaults and ` : ""}the app's defaults, set in{" "}
        <button type="button" className="underline" onClick={onOpenAppSettings}>
          Settings
        </button>
        .
      </p>
      <SamplingForm
        value={{ systemPrompt: conversation.systemPrompt ?? "", sampling: conversation.sampling }}
        inherited={{ systemPrompt: settings.systemPrompt, sampling: inherited }}
        onSave={(draft) => onSave({ systemPrompt: draft.systemPrompt.trim() ? draft.systemPrompt : null, sampling: draft.sampling })}
      />
    </aside>
  );
}
