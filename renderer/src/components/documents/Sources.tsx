import { FileText } from "lucide-react";
import type { Citation } from "../../../../electron/shared/documents";

/** The passages a reply was given from, as [n] document, page: each opens its page with the passage marked. */
export function Sources({ citations, onOpen }: { citations: Citation[]; onOpen(citation: Citation): void }) {
  return (
    <ul aria-label="Sources" className="mt-2 flex flex-wrap gap-1 text-xs">
      {citations.map((citation) => (
        <li key={citation.n} className="max-w-full">
          <button
            type="button"
            title={citation.quote}
            onClick={() => onOpen(citation)}
            className="inline-flex max-w-full items-center gap-1 rounded border border-border px-1.5 py-0.5 text-fg-muted hover:bg-muted hover:text-fg"
          >
            <FileText size={12} className="shrink-0" />
            <span className="truncate">
              [{citation.n}] {citation.documentName}, page {citation.page}
            </span>
          </button>
        </li>
      ))}
    </ul>
  );
}
