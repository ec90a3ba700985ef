import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { Citation } from "../../electron/shared/documents";
import { CitationContext } from "../../renderer/src/components/documents/CitationRef";
import { Markdown } from "../../renderer/src/components/Markdown";
import { linkCitations } from "../../renderer/src/lib/citationRefs";
import { markdownToHast } from "../../renderer/src/lib/markdownHast";
import { hastToReact } from "../../renderer/src/lib/markdownPipeline";

const render = (markdown: string, count: number) => renderToStaticMarkup(hastToReact(linkCitations(markdownToHast(markdown), count)));

describe("inline citations", () => {
  it("marks [n] of the sources given, in prose, lists and tables, one mark per number", () => {
    expect(render("The lease renews in March [1]. Rent is due monthly [2, 3].", 3)).toBe(
      '<p>The lease renews in March <sup data-cite="1">[1]</sup>. Rent is due monthly <sup data-cite="2">[2]</sup><sup data-cite="3">[3]</sup>.</p>',
    );
    expect(render("- notice [2][1]", 2)).toContain('<li>notice <sup data-cite="2">[2]</sup><sup data-cite="1">[1]</sup></li>');
  });

  it("leaves brackets alone in code, in links, past the sources given, and when there are none", () => {
    expect(render("`a[1]` and [the lease](https://example.com) [4]", 3)).toBe('<p><code>a[1]</code> and <a href="https://example.com">the lease</a> [4]</p>');
    expect(render("```\nx[1]\n```", 3)).not.toContain("data-cite");
    expect(render("see [1]", 0)).toBe("<p>see [1]</p>");
    expect(render("[0] and [1, 9]", 3)).toBe("<p>[0] and [1, 9]</p>");
  });
});

describe("a reply's inline citations", () => {
  const citation: Citation = { n: 1, documentId: "d", documentName: "lease.pdf", page: 2, heading: null, start: 0, end: 10, quote: "The lease renews" };

  it("are buttons naming the document and page where the reply has those sources, plain marks elsewhere", () => {
    const withSources = renderToStaticMarkup(
      <CitationContext.Provider value={{ citations: [citation], open: () => undefined }}>
        <Markdown text={"It renews in March [1]."} citations={1} />
      </CitationContext.Provider>,
    );
    expect(withSources).toContain('aria-label="Source 1: lease.pdf, page 2"');
    expect(withSources).toMatch(/<sup><button[^>]*data-testid="inline-citation"[^>]*>\[1\]<\/button><\/sup>/);
    // The same text in a reply without sources stays text (and is cached apart).
    expect(renderToStaticMarkup(<Markdown text={"It renews in March [1]."} />)).toBe(
      '<div class="markdown prose max-w-none"><p>It renews in March [1].</p></div>',
    );
  });
});
