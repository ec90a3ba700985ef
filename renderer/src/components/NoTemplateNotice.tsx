import { useState } from "react";
import type { ModelEntry } from "../../../electron/shared/contract";
import { Button } from "./ui/Button";

const key = (model: ModelEntry) => `hearth.noTemplateSeen.${model.id}`;

/**
 * Said once per model: a model without a chat template is a base model, which continues the text
 * rather than answering it, so its replies look broken to someone expecting a chat.
 */
export function NoTemplateNotice({ model }: { model: ModelEntry | null }) {
  const [, setDismissed] = useState(0);
  if (!model || model.hasChatTemplate || localStorage.getItem(key(model))) return null;
  return (
    <div role="note" className="mx-4 mb-2 flex items-start gap-3 rounded-md border border-border bg-muted px-3 py-2 text-sm">
      <p className="flex-1">
        <strong>{model.name} has no chat template.</strong> It is a base model: it continues what you write instead of answering it, and stops only at the
        reply's token limit. For conversation, pick an instruct or chat model.
      </p>
      <Button
        size="sm"
        variant="ghost"
        onClick={() => {
          localStorage.setItem(key(model), "1");
          setDismissed((n) => n + 1);
        }}
      >
        Got it
      </Button>
    </div>
  );
}
