/** Review grids as the contract carries them: questions (columns) over a collection's documents (rows), typed answers with citations. */
import { z } from "zod";
import { citationSchema } from "./documents";
import { hearthErrorDataSchema } from "./errorSchema";

/** The largest JSON schema a column may carry (its text). */
export const MAX_COLUMN_SCHEMA_CHARS = 10_000;
export const MAX_GRID_COLUMNS = 40;
/** Choices a one-of column may offer. */
export const MAX_CHOICES = 30;

/** A JSON schema as a column's type: an object with the keywords node-llama-cpp's grammar understands. */
const jsonSchemaSchema = z
  .record(z.string().max(200), z.unknown())
  .refine((schema) => ["type", "enum", "const", "oneOf", "$ref"].some((key) => key in schema), {
    message: "A JSON schema needs a type, enum, const or oneOf.",
  })
  .refine((schema) => JSON.stringify(schema).length <= MAX_COLUMN_SCHEMA_CHARS, {
    message: `A JSON schema may be at most ${MAX_COLUMN_SCHEMA_CHARS} characters.`,
  });

/** What a cell of a column holds: the answer is generated to this type, so a number cell holds a number. */
export const gridColumnTypeSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("text") }),
  z.object({ kind: z.literal("number") }),
  /** An ISO date, YYYY-MM-DD. */
  z.object({ kind: z.literal("date") }),
  z.object({ kind: z.literal("yesNo") }),
  z.object({
    kind: z.literal("choice"),
    options: z
      .array(z.string().trim().min(1, "A choice is empty.").max(100))
      .min(2, "Give at least two choices.")
      .max(MAX_CHOICES)
      .refine((options) => new Set(options).size === options.length, { message: "The choices repeat." }),
  }),
  z.object({ kind: z.literal("json"), schema: jsonSchemaSchema }),
]);
export type GridColumnType = z.infer<typeof gridColumnTypeSchema>;
export type GridColumnKind = GridColumnType["kind"];

export const gridColumnInputSchema = z.object({
  label: z.string().trim().min(1, "A column needs a label.").max(80, "A label may be at most 80 characters."),
  question: z.string().trim().min(1, "A column needs a question.").max(1000, "A question may be at most 1,000 characters."),
  type: gridColumnTypeSchema.default({ kind: "text" }),
});
export type GridColumnInput = z.input<typeof gridColumnInputSchema>;

export const gridColumnSchema = gridColumnInputSchema.extend({ id: z.string() });
export type GridColumn = z.infer<typeof gridColumnSchema>;

export const gridSchema = z.object({
  id: z.string(),
  collectionId: z.string(),
  name: z.string(),
  /** The library model that answers the cells. */
  modelId: z.string().nullable(),
  columns: z.array(gridColumnSchema),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type Grid = z.infer<typeof gridSchema>;

/**
 * One answered (or failed) cell. `value` is of the column's type, or null where the document does
 * not say; `citations` are the passages it was answered from (the one the model named, or those it
 * read when it named none). A hand-edited cell keeps its value until that very cell is re-run.
 */
export const gridCellSchema = z.object({
  documentId: z.string(),
  columnId: z.string(),
  status: z.enum(["done", "failed"]),
  value: z.unknown(),
  citations: z.array(citationSchema),
  edited: z.boolean(),
  error: hearthErrorDataSchema.nullable(),
  /** Time in the models (the question's embedding and the answer's generation), and in all. */
  modelMs: z.number().nullable(),
  totalMs: z.number().nullable(),
  updatedAt: z.number(),
});
export type GridCell = z.infer<typeof gridCellSchema>;

/** A hand-edited value at most this long (as JSON). */
export const MAX_CELL_VALUE_CHARS = 10_000;

export const cellRefSchema = z.object({ documentId: z.string(), columnId: z.string() });
export type CellRef = z.infer<typeof cellRefSchema>;

/** A grid's run in progress: the cells still to answer, and the one being answered. */
export const gridRunSchema = z.object({
  runId: z.string(),
  gridId: z.string(),
  done: z.number().int(),
  total: z.number().int(),
  current: cellRefSchema.nullable(),
  queued: z.array(cellRefSchema),
  startedAt: z.number(),
});
export type GridRun = z.infer<typeof gridRunSchema>;

/** Everything a grid's page shows: the grid, its rows (the collection's documents), answered cells and the run. */
export const gridViewSchema = z.object({
  grid: gridSchema,
  rows: z.array(z.object({ id: z.string(), name: z.string(), pages: z.number().int() })),
  cells: z.array(gridCellSchema),
  run: gridRunSchema.nullable(),
});
export type GridView = z.infer<typeof gridViewSchema>;

/**
 * A grid changed: a cell was answered (or edited, and so left its run's queue); the run moved to
 * its next cell; or a run started (with its whole queue) or ended (`run` null, with why it
 * stopped early).
 */
export const gridPacketSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("cell"), gridId: z.string(), cell: gridCellSchema }),
  z.object({ type: z.literal("progress"), gridId: z.string(), runId: z.string(), done: z.number().int(), current: cellRefSchema.nullable() }),
  z.object({ type: z.literal("run"), gridId: z.string(), run: gridRunSchema.nullable(), error: hearthErrorDataSchema.nullable() }),
]);
export type GridPacket = z.infer<typeof gridPacketSchema>;
