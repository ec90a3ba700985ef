import { describe, expect, it } from "vitest";
import { pageRanges } from "../../electron/core/documents/parsers/pdfPages";
import { type PdfTextItem, pdfPageText } from "../../electron/core/documents/parsers/pdfText";

const item = (str: string, hasEOL = false): PdfTextItem => ({ str, hasEOL, width: str.length * 5, transform: [1, 0, 0, 1, 0, 0] });

describe("a PDF page's text and where each item is in it", () => {
  it("finds every item's characters in the cleaned text: spaces collapsed, lines trimmed, empty lines skipped", () => {
    const items = [item("  Residential"), item("   lease,  "), item("page 2", true), item("   ", true), item("\u00a0The rent"), item(" is 1,850 euros.", true)];
    const { page, spans } = pdfPageText(2, items);
    expect(page.text).toBe("Residential lease, page 2\nThe rent is 1,850 euros.");
    const at = (i: number) => spans.find((s) => s.item === i)!;
    expect(page.text.slice(at(0).start, at(0).end)).toBe("Residential");
    expect(page.text.slice(at(1).start, at(1).end)).toBe(" lease, ");
    expect(page.text.slice(at(2).start, at(2).end)).toBe("page 2");
    // An item of blanks alone has no characters left.
    expect(spans.some((s) => s.item === 3)).toBe(false);
    expect(page.text.slice(at(4).start, at(4).end)).toBe("The rent");
    expect(page.text.slice(at(5).start, at(5).end)).toBe(" is 1,850 euros.");
  });
});

describe("a long PDF's pages shared among workers", () => {
  it("cuts the pages into whole ranges, one a worker, none shorter than is worth a worker", () => {
    expect(pageRanges(7, 4)).toEqual([[1, 7]]);
    expect(pageRanges(120, 2)).toEqual([
      [1, 60],
      [61, 120],
    ]);
    expect(pageRanges(2001, 4)).toEqual([
      [1, 501],
      [502, 1002],
      [1003, 1503],
      [1504, 2001],
    ]);
    expect(pageRanges(149, 4)).toHaveLength(2);
  });
});
