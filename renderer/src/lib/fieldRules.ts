import type { z } from "zod";

/** What a number field takes, read from the contract's own schema so the form and the core agree. */
export interface NumberRule {
  label: string;
  min: number;
  max: number;
  integer: boolean;
  /** Words the field takes besides a number ("auto", "off"). */
  words?: readonly string[];
}

export type Reading<T> = { ok: true; value: T | undefined } | { ok: false; error: string };

interface NumberSchemaInfo {
  minValue: number | null;
  maxValue: number | null;
  isInt: boolean;
}

/** The bounds of a (possibly optional) zod number schema. */
export function ruleFor(label: string, schema: z.ZodType, words?: readonly string[]): NumberRule {
  const inner = ("unwrap" in schema ? (schema as unknown as { unwrap(): z.ZodType }).unwrap() : schema) as unknown as NumberSchemaInfo;
  return { label, min: inner.minValue ?? Number.NEGATIVE_INFINITY, max: inner.maxValue ?? Number.POSITIVE_INFINITY, integer: inner.isInt, words };
}

const count = new Intl.NumberFormat("en-US", { maximumFractionDigits: 4 });

/** The value typed in a field (empty: not set), or why it cannot be used, in words. */
export function readNumber(text: string, rule: NumberRule): Reading<number | string> {
  const typed = text.trim().replace(/[,_\s]/g, "");
  if (typed === "") return { ok: true, value: undefined };
  const word = rule.words?.find((w) => w === typed.toLowerCase());
  if (word) return { ok: true, value: word };
  const value = Number(typed);
  if (Number.isFinite(value) && value >= rule.min && value <= rule.max && (!rule.integer || Number.isInteger(value))) return { ok: true, value };
  return { ok: false, error: describeRule(rule) };
}

export function describeRule(rule: NumberRule): string {
  const kind = rule.integer ? "a whole number" : "a number";
  const range =
    Number.isFinite(rule.min) && Number.isFinite(rule.max)
      ? ` from ${count.format(rule.min)} to ${count.format(rule.max)}`
      : Number.isFinite(rule.min)
        ? ` of at least ${count.format(rule.min)}`
        : "";
  const words = rule.words?.length ? `, or ${rule.words.map((w) => `“${w}”`).join(" or ")}` : "";
  return `${rule.label} must be ${kind}${range}${words}.`;
}
