import { createContext, useContext } from "react";
import type { Citation } from "../../../../electron/shared/documents";

/** The sources of the reply being shown, and how to open one: what its inline [n] marks link to. */
export const CitationContext = createContext<{ citations: Citation[]; open(citation: Citation): void } | null>(null);

/** A reply's inline [n]: a button that opens the cited page with the passage marked (plain text where the reply has no such source). */
export function CitationRef({ n }: { n: number }) {
  const context = useContext(CitationContext);
  const citation = context?.citations.find((c) => c.n === n);
  if (!context || !citation) return <sup>[{n}]</sup>;
  return (
    <sup>
      <button
        type="button"
        data-testid="inline-citation"
        aria-label={`Source ${n}: ${citation.documentName}, page ${citation.page}`}
        title={`${citation.documentName}, page ${citation.page}: ${citation.quote.slice(0, 200)}`}
        onClick={() => context.open(citation)}
        className="rounded px-0.5 font-medium text-accent hover:bg-accent/10 hover:underline"
      >
        [{n}]
      </button>
    </sup>
  );
}
