import { describe, expect, it } from "vitest";
import { joinedAlongLine } from "../../electron/core/documents/pdfPageImage";
import { pageRanges } from "../../electron/core/documents/parsers/pdfPagesWorker";
import { pdfPageText, rawSpan } from "../../electron/core/documents/parsers/pdfText";

describe("a PDF page's text and where its characters are in PDFium's", () => {
  const raw = "  Residential   lease,  page 2\r\n   \r\n\u00a0The rent is 1,850 euros.\r\nSigned";

  it("is a line a block: spaces collapsed, lines trimmed, empty lines skipped", () => {
    const page = pdfPageText(2, raw);
    expect(page.text).toBe("Residential lease, page 2\nThe rent is 1,850 euros.\nSigned");
    expect(page.blocks.map((b) => page.text.slice(b.start, b.end))).toEqual(["Residential lease, page 2", "The rent is 1,850 euros.", "Signed"]);
  });

  it("maps a span of the stored text back to the raw characters, a list a line, blanks left out", () => {
    const { text } = pdfPageText(2, raw);
    const from = text.indexOf("lease");
    const to = text.indexOf("1,850") + "1,850".length;
    const lines = rawSpan(raw, { start: from, end: to });
    expect(lines.map((units) => units.map((u) => raw[u]).join(""))).toEqual(["lease,page2", "Therentis1,850"]);
    // Each raw character found is the stored one.
    for (const units of lines) for (const unit of units) expect(text).toContain(raw[unit]!);
    expect(rawSpan(raw, { start: text.length, end: text.length + 5 })).toEqual([]);
  });
});

describe("a marked line's character boxes", () => {
  const box = (left: number, right: number, bottom = 100, top = 110) => ({ left, right, bottom, top });

  it("are joined into one run, split where the line jumps to another column or goes back, empty boxes skipped", () => {
    expect(joinedAlongLine([box(10, 15), box(15, 20), box(0, 0, 0, 0), box(24, 30, 98, 111)])).toEqual([box(10, 30, 98, 111)]);
    expect(joinedAlongLine([box(10, 20), box(300, 310)])).toEqual([box(10, 20), box(300, 310)]);
    expect(joinedAlongLine([box(300, 310), box(10, 20)])).toEqual([box(300, 310), box(10, 20)]);
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
