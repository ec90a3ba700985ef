/** What the model is asked for one cell of a review grid, and how its answer is read back. */
import type { Citation } from "../../shared/documents";
import { HearthError } from "../../shared/errors";
import { answerSchema, checkValue } from "../../shared/gridValues";
import type { GridColumnType } from "../../shared/grids";
import { numberedPassages } from "../documents/grounding";

export const CELL_INSTRUCTIONS =
  'You fill one cell of a document review table. Answer only from the numbered passages of the document. Reply with JSON: "answer" is the answer, or null when the passages do not give it; "source" is the number of the passage the answer comes from, or null.';

/** The JSON the reply must be (enforced by grammar): the typed answer, and which passage it comes from. */
export function cellReplySchema(type: GridColumnType, passages: number): Record<string, unknown> {
  return {
    type: "object",
    properties: {
      answer: answerSchema(type),
      source: { enum: [...Array.from({ length: passages }, (_, i) => i + 1), null] },
    },
    required: ["answer", "source"],
    additionalProperties: false,
  };
}

function typeHint(type: GridColumnType): string {
  switch (type.kind) {
    case "text":
      return "a short text";
    case "number":
      return "a number (digits only, no units)";
    case "date":
      return "a date as YYYY-MM-DD";
    case "yesNo":
      return "true for yes or false for no";
    case "choice":
      return `one of: ${type.options.map((o) => JSON.stringify(o)).join(", ")}`;
    case "json":
      return "JSON of the required shape";
  }
}

/** The cell's question as the model reads it: the document's passages, numbered, then the question and the form of the answer. */
export function cellQuestion(documentName: string, question: string, type: GridColumnType, citations: Citation[], quoteLimit: number | null): string {
  return `Passages from ${documentName}:\n\n${numberedPassages(citations, quoteLimit)}\n\nQuestion: ${question}\nThe answer is ${typeHint(type)}.`;
}

/**
 * The reply read as the cell's value and sources: the passage it names, or (when it names none
 * but answers) all it was given, so a reviewer can still check; none when it found no answer.
 */
export function readCellReply(text: string, type: GridColumnType, citations: Citation[]): { value: unknown; citations: Citation[] } {
  let reply: unknown;
  try {
    reply = JSON.parse(text);
  } catch {
    throw new HearthError("MODEL_OUTPUT", `The model's answer is not JSON: ${text.slice(0, 120)}`);
  }
  const { answer, source } = (reply ?? {}) as { answer?: unknown; source?: unknown };
  const checked = checkValue(type, typeof answer === "string" ? answer.trim() : (answer ?? null));
  if (!checked.ok) throw new HearthError("MODEL_OUTPUT", `The model's answer does not fit the column: ${checked.message}`);
  if (checked.value === null) return { value: null, citations: [] };
  const named = citations.find((c) => c.n === source);
  return { value: checked.value, citations: named ? [named] : citations };
}
