import { Search } from "lucide-react";
import { useState } from "react";
import type { Passage } from "../../../../electron/shared/documents";
import { passageSnippet } from "../../lib/passageSnippet";
import { Button } from "../ui/Button";

interface Props {
  disabled: boolean;
  passages: Passage[] | null;
  onSearch(query: string): void;
  onOpen(passage: Passage): void;
}

/** A question against the collection, and the passages that answer it best, each with its document and page. */
export function SearchPassages({ disabled, passages, onSearch, onOpen }: Props) {
  const [query, setQuery] = useState("");
  // The question the shown results answer (the field may have changed since).
  const [asked, setAsked] = useState("");
  return (
    <section aria-label="Search the documents" className="space-y-2">
      <form
        className="flex gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          if (!query.trim()) return;
          setAsked(query.trim());
          onSearch(query.trim());
        }}
      >
        <input
          aria-label="Question"
          placeholder="Ask the documents, e.g. when does the lease renew?"
          className="h-9 min-w-0 flex-1 rounded border border-border bg-bg px-2"
          disabled={disabled}
          value={query}
          onChange={(e) => setQuery(e.target.value)}
        />
        <Button type="submit" disabled={disabled || !query.trim()}>
          <Search size={14} /> Search
        </Button>
      </form>
      {passages?.length === 0 && <p className="text-sm text-fg-muted">Nothing in this collection matches.</p>}
      {passages && passages.length > 0 && (
        <ol className="space-y-2">
          {passages.map((passage, i) => (
            <li key={passage.chunkId} data-testid="passage">
              <button type="button" onClick={() => onOpen(passage)} className="w-full rounded border border-border p-2 text-left hover:bg-muted">
                <span className="text-sm font-medium">
                  [{i + 1}] {passage.documentName}, page {passage.page}
                </span>
                {passage.heading && <span className="text-sm text-fg-muted"> · {passage.heading}</span>}
                {passage.rerankScore != null && (
                  <span className="text-xs text-fg-muted tabular-nums" title="The reranker's score for this passage, 0 to 1">
                    {" "}
                    · reranked {passage.rerankScore.toFixed(2)}
                  </span>
                )}
                <span className="mt-1 line-clamp-3 text-sm text-fg-muted">{passageSnippet(passage.text, asked)}</span>
              </button>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
