/** Passages given to a model to answer from: numbered, cited by number, fitted to its context. */
import type { Citation, Passage } from "../../shared/documents";

export function toCitation(passage: Passage, n: number): Citation {
  const { documentId, documentName, page, heading, start, end, text } = passage;
  return { n, documentId, documentName, page, heading, start, end, quote: text };
}

/** The passages as the model reads them: "[n] document, page p (heading):" and the text (cut to `quoteLimit` characters when given). */
export function numberedPassages(citations: Citation[], quoteLimit: number | null): string {
  const quote = (c: Citation) => (quoteLimit !== null && c.quote.length > quoteLimit ? `${c.quote.slice(0, quoteLimit)}…` : c.quote);
  return citations.map((c) => `[${c.n}] ${c.documentName}, page ${c.page}${c.heading ? ` (${c.heading})` : ""}:\n${quote(c)}`).join("\n\n");
}

/**
 * As many of the passages (best first) as fit, by `fits` (the prompt they make, counted by the
 * model's tokenizer); when even the best one alone does not, it is shown cut, halving until it
 * fits (its citation stays whole).
 */
export async function fitCitations(
  citations: Citation[],
  fits: (list: Citation[], quoteLimit: number | null) => Promise<boolean>,
): Promise<{ citations: Citation[]; quoteLimit: number | null }> {
  let kept = citations;
  while (kept.length > 1 && !(await fits(kept, null))) kept = kept.slice(0, -1);
  let quoteLimit: number | null = null;
  if (kept.length === 0) return { citations: kept, quoteLimit };
  for (let chars = kept[0]!.quote.length; !(await fits(kept, quoteLimit)) && chars > 40; ) {
    chars = Math.floor(chars / 2);
    quoteLimit = chars;
  }
  return { citations: kept, quoteLimit };
}
