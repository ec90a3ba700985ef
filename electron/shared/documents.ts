/** Document collections as the contract carries them: collections, documents, passages and ingestion progress. */
import { z } from "zod";
import { hearthErrorDataSchema } from "./errorSchema";

export const documentFormatSchema = z.enum(["pdf", "docx", "html", "markdown", "text"]);

export const collectionSchema = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: z.number(),
  /** The model whose vectors the collection holds (fixed by its first document), or null while empty. */
  embeddingModelId: z.string().nullable(),
  embeddingModelName: z.string().nullable(),
  /** The reranker its searches' best passages are put in order by (null: the hybrid order stands). */
  rerankerModelId: z.string().nullable(),
  rerankerModelName: z.string().nullable(),
  documentCount: z.number().int(),
  chunkCount: z.number().int(),
});
export type Collection = z.infer<typeof collectionSchema>;

export const documentEntrySchema = z.object({
  id: z.string(),
  collectionId: z.string(),
  path: z.string(),
  name: z.string(),
  format: documentFormatSchema,
  sha256: z.string(),
  bytes: z.number(),
  pages: z.number().int(),
  /** Pages with no text layer (scans), which could not be indexed. */
  pagesWithoutText: z.array(z.number().int()),
  /** Pages with no text layer whose text was read by OCR (a citation there quotes what OCR read). */
  pagesRead: z.array(z.number().int()),
  chunkCount: z.number().int(),
  indexedAt: z.number(),
});
export type DocumentEntry = z.infer<typeof documentEntrySchema>;

/** A retrieved passage: where it is (document, page, span in the page's text) and what it says. */
export const passageSchema = z.object({
  chunkId: z.number().int(),
  documentId: z.string(),
  documentName: z.string(),
  page: z.number().int(),
  heading: z.string().nullable(),
  start: z.number().int(),
  end: z.number().int(),
  text: z.string(),
  score: z.number(),
  /** The reranker's score (0 to 1), when the collection has one; passages are in its order then. */
  rerankScore: z.number().nullable().optional(),
});
export type Passage = z.infer<typeof passageSchema>;

/**
 * A source an answer was given from, numbered as the answer cites it ([1], [2]…): where the
 * passage is, and the passage itself (what the answer could read).
 */
export const citationSchema = passageSchema.omit({ chunkId: true, text: true, score: true }).extend({
  n: z.number().int().min(1),
  quote: z.string(),
});
export type Citation = z.infer<typeof citationSchema>;

/** One file's outcome in an ingestion. */
export const fileOutcomeSchema = z.object({
  path: z.string(),
  status: z.enum(["indexed", "unchanged", "failed"]),
  document: documentEntrySchema.nullable(),
  error: hearthErrorDataSchema.nullable(),
});
export type FileOutcome = z.infer<typeof fileOutcomeSchema>;

/** Where an ingestion is: documents, pages and chunks so far, speed and what is left. */
export const ingestProgressSchema = z.object({
  /** The ingestion's id (from `documents.add`); empty for one run in-process without an id. */
  ingestId: z.string(),
  collectionId: z.string(),
  documentsDone: z.number().int(),
  documentsTotal: z.number().int(),
  pagesDone: z.number().int(),
  chunksDone: z.number().int(),
  chunksPerSecond: z.number().nullable(),
  etaSeconds: z.number().nullable(),
  current: z.string().nullable(),
  finished: z.boolean(),
  outcomes: z.array(fileOutcomeSchema),
  /** Why it stopped early (cancelled, or the embedding model failed), when it did. */
  error: hearthErrorDataSchema.nullable(),
});
export type IngestProgress = z.infer<typeof ingestProgressSchema>;

/** A page of a document as the viewer shows it: its text, into which citations' spans point. */
export const documentPageSchema = z.object({
  document: documentEntrySchema,
  page: z.number().int(),
  text: z.string(),
});
export type DocumentPage = z.infer<typeof documentPageSchema>;

/** A rectangle on a drawn page, as shares (0 to 1) of its width and height from the top left. */
export const pageRectSchema = z.object({ left: z.number(), top: z.number(), width: z.number(), height: z.number() });

/** A PDF page drawn as an image, with where a passage is on it. */
export const pageImageSchema = z.object({
  /** PNG, base64. */
  png: z.string(),
  width: z.number().int(),
  height: z.number().int(),
  marks: z.array(pageRectSchema),
});
export type PageImage = z.infer<typeof pageImageSchema>;
