import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { chunkPage } from "../../electron/core/documents/chunkText";
import { pageFromBlocks } from "../../electron/core/documents/parsedDocument";
import { parseMarkdown } from "../../electron/core/documents/parsers/plainText";

const sentence = fc.stringMatching(/^[A-Z][a-z]{1,9}( [a-z]{1,9}){2,14}[.!?]$/);
const block = fc.record({ text: fc.array(sentence, { minLength: 1, maxLength: 12 }).map((s) => s.join(" ")), heading: fc.constantFrom(null, "A", "A > B") });

describe("chunkPage", () => {
  it("cuts any page into chunks that are exact slices, cover every block, stay in one section and move forward", () => {
    fc.assert(
      fc.property(fc.array(block, { minLength: 1, maxLength: 20 }), fc.integer({ min: 80, max: 600 }), (blocks, target) => {
        const page = pageFromBlocks(3, blocks);
        const chunks = chunkPage(page, { targetChars: target, overlapChars: Math.floor(target / 5) });
        for (const [i, chunk] of chunks.entries()) {
          expect(chunk.text).toBe(page.text.slice(chunk.start, chunk.end));
          expect(chunk.page).toBe(3);
          // One section: the blocks it touches all sit under its heading.
          const touched = page.blocks.filter((b) => b.start < chunk.end && b.end > chunk.start);
          expect(touched.every((b) => b.heading === chunk.heading)).toBe(true);
          if (i > 0) expect(chunk.start).toBeGreaterThan(chunks[i - 1]!.start);
          // Longer than the target only where one word run is (none here): sentences fit.
          expect(chunk.end - chunk.start).toBeLessThanOrEqual(target);
        }
        for (const b of page.blocks) {
          for (let at = b.start; at < b.end; at++) {
            if (page.text[at] === " ") continue;
            expect(chunks.some((c) => c.start <= at && at < c.end)).toBe(true);
          }
        }
      }),
      { numRuns: 60 },
    );
  });

  it("repeats the end of a chunk at the start of the next within a section, and cuts a long paragraph at sentences", () => {
    const text = Array.from({ length: 12 }, (_, i) => `Sentence number ${i} says something about clause ${i}.`).join(" ");
    const page = pageFromBlocks(1, [{ text, heading: null }]);
    const chunks = chunkPage(page, { targetChars: 200, overlapChars: 60 });
    expect(chunks.length).toBeGreaterThan(2);
    for (const chunk of chunks) expect(chunk.text).toMatch(/^Sentence number \d+.*\.$/);
    for (let i = 1; i < chunks.length; i++) expect(chunks[i]!.start).toBeLessThan(chunks[i - 1]!.end);
  });

  it("keeps Markdown's heading path, and a fenced code line is no heading", () => {
    const parsed = parseMarkdown("# Guide\n\nIntro.\n\n## Install\n\nRun it.\n\n```sh\n# a comment\n```\n\n### Linux\n\nUse apt.");
    const page = parsed.pages[0]!;
    expect(page.blocks.map((b) => b.heading)).toEqual([
      "Guide",
      "Guide",
      "Guide > Install",
      "Guide > Install",
      "Guide > Install",
      "Guide > Install > Linux",
      "Guide > Install > Linux",
    ]);
    expect(chunkPage(page).map((c) => c.heading)).toEqual(["Guide", "Guide > Install", "Guide > Install > Linux"]);
  });
});
