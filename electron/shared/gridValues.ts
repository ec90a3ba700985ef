/** What a cell of each column type may hold, and how it reads: shared by the core (checks, exports) and the UI (cells, editing). */
import type { GridColumnType } from "./grids";

/** Longest text answer a cell is generated with: a cell states a fact, it does not summarize. */
export const MAX_TEXT_ANSWER = 300;

/**
 * The column's value as JSON schema for node-llama-cpp's grammar. Every type also allows null:
 * a document that does not say must be able to say so.
 */
export function answerSchema(type: GridColumnType): Record<string, unknown> {
  const value = valueSchema(type);
  return { oneOf: [value, { type: "null" }] };
}

function valueSchema(type: GridColumnType): Record<string, unknown> {
  switch (type.kind) {
    case "text":
      return { type: "string", maxLength: MAX_TEXT_ANSWER };
    case "number":
      return { type: "number" };
    case "date":
      return { type: "string", format: "date" };
    case "yesNo":
      return { type: "boolean" };
    case "choice":
      return { enum: type.options };
    case "json":
      return type.schema;
  }
}

/**
 * The value checked against its column's type (for hand edits and for what a model wrote), as it
 * is stored: an error message when it does not fit. JSON columns are checked by their grammar
 * when generated; by hand, any JSON is taken.
 */
export function checkValue(type: GridColumnType, value: unknown): { ok: true; value: unknown } | { ok: false; message: string } {
  if (value === null) return { ok: true, value: null };
  switch (type.kind) {
    case "text":
      return typeof value === "string" ? { ok: true, value } : { ok: false, message: "Expected text." };
    case "number": {
      const number = typeof value === "string" && value.trim() !== "" ? Number(value.replace(/[,\s]/g, "")) : value;
      return typeof number === "number" && Number.isFinite(number) ? { ok: true, value: number } : { ok: false, message: "Expected a number." };
    }
    case "date":
      return typeof value === "string" && isIsoDate(value) ? { ok: true, value } : { ok: false, message: "Expected a date as YYYY-MM-DD." };
    case "yesNo": {
      if (typeof value === "boolean") return { ok: true, value };
      const word = typeof value === "string" ? value.trim().toLowerCase() : "";
      if (word === "yes" || word === "true") return { ok: true, value: true };
      if (word === "no" || word === "false") return { ok: true, value: false };
      return { ok: false, message: "Expected yes or no." };
    }
    case "choice":
      return typeof value === "string" && type.options.includes(value)
        ? { ok: true, value }
        : { ok: false, message: `Expected one of: ${type.options.join(", ")}.` };
    case "json":
      return { ok: true, value };
  }
}

function isIsoDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.getUTCMonth() + 1 === Number(match[2]) && date.getUTCDate() === Number(match[3]);
}

/** A value as a person reads it: yes/no for booleans, JSON for structures, empty for none. */
export function displayValue(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "boolean") return value ? "Yes" : "No";
  if (typeof value === "string") return value;
  if (typeof value === "number") return String(value);
  return JSON.stringify(value);
}

/** Where a value comes from, as a reviewer finds it: "lease.pdf p. 3", several joined. */
export function describeSources(citations: { documentName: string; page: number }[]): string {
  const seen = [...new Set(citations.map((c) => `${c.documentName} p. ${c.page}`))];
  return seen.join("; ");
}
