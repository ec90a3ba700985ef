import { describe, expect, it } from "vitest";
import { parseColumnSpec } from "../../electron/cli/gridColumnSpec";
import { cellReplySchema, readCellReply } from "../../electron/core/grids/cellPrompt";
import type { Citation } from "../../electron/shared/documents";
import { checkValue, displayValue } from "../../electron/shared/gridValues";
import { gridColumnTypeSchema } from "../../electron/shared/grids";

const citation = (n: number, page: number): Citation => ({
  n,
  documentId: "d",
  documentName: "lease.pdf",
  page,
  heading: null,
  start: 0,
  end: 4,
  quote: "rent",
});

describe("grid values", () => {
  it("checks and normalizes each type, and says what was expected", () => {
    expect(checkValue({ kind: "number" }, "1,850")).toEqual({ ok: true, value: 1850 });
    expect(checkValue({ kind: "number" }, "about ten")).toEqual({ ok: false, message: "Expected a number." });
    expect(checkValue({ kind: "date" }, "2026-02-30")).toMatchObject({ ok: false });
    expect(checkValue({ kind: "date" }, "2026-02-28")).toEqual({ ok: true, value: "2026-02-28" });
    expect(checkValue({ kind: "yesNo" }, "Yes")).toEqual({ ok: true, value: true });
    expect(checkValue({ kind: "choice", options: ["a", "b"] }, "c")).toEqual({ ok: false, message: "Expected one of: a, b." });
    expect(checkValue({ kind: "text" }, null)).toEqual({ ok: true, value: null });
    expect([true, false, 3, "x", { a: 1 }, null].map(displayValue)).toEqual(["Yes", "No", "3", "x", '{"a":1}', ""]);
  });

  it("asks for the typed answer or null, and one of the passages given", () => {
    expect(cellReplySchema({ kind: "yesNo" }, 2)).toEqual({
      type: "object",
      properties: { answer: { oneOf: [{ type: "boolean" }, { type: "null" }] }, source: { enum: [1, 2, null] } },
      required: ["answer", "source"],
      additionalProperties: false,
    });
  });

  it("reads a reply: the named passage as the source, all of them when none is named, none without an answer", () => {
    const given = [citation(1, 2), citation(2, 3)];
    expect(readCellReply('{"answer": 1850, "source": 2}', { kind: "number" }, given)).toEqual({ value: 1850, citations: [given[1]] });
    expect(readCellReply('{"answer": "  Utrecht ", "source": null}', { kind: "text" }, given)).toEqual({ value: "Utrecht", citations: given });
    expect(readCellReply('{"answer": null, "source": 1}', { kind: "text" }, given)).toEqual({ value: null, citations: [] });
    expect(() => readCellReply('{"answer": "x"', { kind: "text" }, given)).toThrow(/not JSON/);
    expect(() => readCellReply('{"answer": "x", "source": 1}', { kind: "number" }, given)).toThrow(/does not fit the column: Expected a number/);
  });

  it("refuses column types that cannot be answered", () => {
    expect(gridColumnTypeSchema.safeParse({ kind: "choice", options: ["a", "a"] }).error?.issues[0]?.message).toBe("The choices repeat.");
    expect(gridColumnTypeSchema.safeParse({ kind: "json", schema: { title: "x" } }).error?.issues[0]?.message).toMatch(/needs a type/);
  });
});

describe("hearth docs grid --column", () => {
  it("reads label, question and an optional type at the end", () => {
    expect(parseColumnSpec("Rent: What is the monthly rent?:number")).toEqual({
      label: "Rent",
      question: "What is the monthly rent?",
      type: { kind: "number" },
    });
    expect(parseColumnSpec("Term: What does 'term: renewal' mean?")).toEqual({
      label: "Term",
      question: "What does 'term: renewal' mean?",
      type: { kind: "text" },
    });
    expect(parseColumnSpec("Court: Which court?:choice(Utrecht|Amsterdam)")).toMatchObject({ type: { kind: "choice", options: ["Utrecht", "Amsterdam"] } });
    expect(parseColumnSpec("Renews: Does it renew?:yes/no").type).toEqual({ kind: "yesNo" });
    expect(() => parseColumnSpec("no colon")).toThrow(/needs a label and a question/);
    expect(() => parseColumnSpec("X: Y?:choice(a)")).toThrow(/two or more choices/);
  });
});
