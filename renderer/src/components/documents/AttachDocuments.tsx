import { X } from "lucide-react";
import type { Collection } from "../../../../electron/shared/documents";

/**
 * The document collections a conversation answers from: its replies are grounded in their
 * passages and cite them. Shown above the composer; a new chat takes them with its first message.
 */
export function AttachDocuments({ collections, attached, onChange }: { collections: Collection[]; attached: string[]; onChange(ids: string[]): void }) {
  if (collections.length === 0) return null;
  const available = collections.filter((c) => !attached.includes(c.id));
  return (
    <div className="flex flex-wrap items-center gap-2 border-t border-border px-3 pt-2 text-sm">
      <span className="text-fg-muted">Answer from</span>
      {attached.map((id) => {
        const name = collections.find((c) => c.id === id)?.name ?? "a deleted collection";
        return (
          <span key={id} className="inline-flex items-center gap-1 rounded bg-muted px-2 py-0.5" data-testid="attached-collection">
            {name}
            <button
              type="button"
              aria-label={`Stop answering from ${name}`}
              className="text-fg-muted hover:text-fg"
              onClick={() => onChange(attached.filter((a) => a !== id))}
            >
              <X size={12} />
            </button>
          </span>
        );
      })}
      {available.length > 0 && (
        <select
          aria-label="Answer from documents"
          className="h-7 rounded border border-border bg-bg px-1 text-sm"
          value=""
          onChange={(e) => e.target.value && onChange([...attached, e.target.value])}
        >
          <option value="">{attached.length ? "add a collection…" : "documents: none (choose a collection)"}</option>
          {available.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name} ({c.documentCount} documents)
            </option>
          ))}
        </select>
      )}
    </div>
  );
}
