import type { z } from "zod";

/** A JSON column read through its schema: what a row holds is checked, not assumed. */
export function parseColumn<S extends z.ZodType>(schema: S, text: string | null): z.infer<S> | null {
  return text ? schema.parse(JSON.parse(text)) : null;
}
