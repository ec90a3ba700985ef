import { randomUUID } from "node:crypto";
import { createRequire } from "node:module";
import { z } from "zod";
import type { Collection, DocumentEntry, Passage } from "../../shared/documents";
import { HearthError } from "../../shared/errors";
import type { Statement } from "better-sqlite3";
import type { Db } from "../store/openDatabase";
import type { Chunk } from "./chunkText";
import type { DocumentFormat, PageText, ParsedDocument } from "./parsedDocument";
import { logError } from "../errorLog";
import { VectorIndex } from "./VectorIndex";

interface CollectionRow {
  rowid: number;
  id: string;
  name: string;
  created_at: number;
  embedding_model_id: string | null;
  embedding_model_name: string | null;
  embedding_dims: number | null;
  reranker_model_id: string | null;
  reranker_model_name: string | null;
}

type SummaryRow = CollectionRow & { documents: number; chunks: number };

/** A collection with its document and passage counts. */
const COLLECTION_SUMMARY = `SELECT c.rowid, c.*, COUNT(d.id) AS documents, COALESCE(SUM(d.chunk_count), 0) AS chunks
  FROM collections c LEFT JOIN documents d ON d.collection_id = c.id AND d.draft_pid IS NULL`;

interface DocumentRow {
  id: string;
  collection_id: string;
  path: string;
  name: string;
  format: DocumentEntry["format"];
  sha256: string;
  bytes: number;
  pages: number;
  pages_without_text_json: string;
  pages_read_json: string;
  chunk_count: number;
  indexed_at: number;
  /** The process writing it while it is a draft; null once finished. */
  draft_pid: number | null;
}

interface PassageRow {
  rowid: number;
  document_id: string;
  name: string;
  page: number;
  heading: string | null;
  start: number;
  end: number;
  text: string;
}

/** A file's facts, known before it is read. */
export interface DocumentFile {
  path: string;
  name: string;
  format: DocumentFormat;
  sha256: string;
  bytes: number;
}

/** A passage written to a draft: the row its vector will be stored under, and what it holds. */
export interface DraftPassage {
  rowid: number;
  chunk: Chunk;
}

/** A document ready to be stored: its file's facts, its text and its chunks with their vectors. */
export interface IndexedDocument {
  path: string;
  name: string;
  sha256: string;
  bytes: number;
  parsed: ParsedDocument;
  chunks: Chunk[];
  vectors: Float32Array[];
}

const nodeRequire = createRequire(import.meta.url);

/** Candidates each search brings to the fusion: enough that a passage ranked well by one is not lost. */
const CANDIDATES = 50;
/** Reciprocal rank fusion's constant (the usual 60: ranks past the first few count nearly alike). */
const RRF_K = 60;

/**
 * Collections of documents, their text page by page, and their chunks indexed two ways: full-text
 * (FTS5, BM25) and by vector (sqlite-vec, cosine). A document is written as a draft while it is
 * read (pages, passages, full-text index), invisible to every list and search, and becomes
 * visible with all its vectors in one transaction: an ingestion stopped midway leaves whole
 * documents, and drafts that the next ingestion of the collection discards.
 */
export class DocumentStore {
  private readonly statements;
  private vectorsLoaded = false;
  /**
   * Passages in all collections, and in how many each searched word is (for pruning common words
   * from searches): counted once until a write. A word's count reads its whole posting list.
   */
  private chunkTotal: number | null = null;
  private readonly termCounts = new Map<string, number>();
  private readonly nearest = new Map<string, Statement<[Float32Array, number], { rowid: number; distance: number }>>();
  /** Large collections' vectors in memory (by vector table), made on their first search. */
  private readonly indexes = new Map<string, VectorIndex>();
  private readonly nearestWithin = new Map<string, Statement<[Float32Array, string, number], { rowid: number; distance: number }>>();

  constructor(
    private readonly db: Db,
    /** Passages from which a collection's vectors are searched in memory (a test makes it small). */
    private readonly indexFrom = INDEX_FROM,
  ) {
    this.statements = {
      collectionByName: db.prepare<[string], CollectionRow>(`SELECT rowid, * FROM collections WHERE name = ?`),
      collectionById: db.prepare<[string], CollectionRow>(`SELECT rowid, * FROM collections WHERE id = ?`),
      collections: db.prepare<[], SummaryRow>(`${COLLECTION_SUMMARY} GROUP BY c.id ORDER BY c.name`),
      collectionSummary: db.prepare<[string], SummaryRow>(`${COLLECTION_SUMMARY} WHERE c.id = ? GROUP BY c.id`),
      documents: db.prepare<[string], DocumentRow>(`SELECT * FROM documents WHERE collection_id = ? AND draft_pid IS NULL ORDER BY name, path`),
      drafts: db.prepare<[string], { id: string; draft_pid: number }>(`SELECT id, draft_pid FROM documents WHERE collection_id = ? AND draft_pid IS NOT NULL`),
      documentByPath: db.prepare<[string, string], DocumentRow>(`SELECT * FROM documents WHERE collection_id = ? AND path = ?`),
      documentById: db.prepare<[string], DocumentRow>(`SELECT * FROM documents WHERE id = ? AND draft_pid IS NULL`),
      draftById: db.prepare<[string], DocumentRow>(`SELECT * FROM documents WHERE id = ? AND draft_pid IS NOT NULL`),
      chunkRowids: db.prepare<[string], { rowid: number }>(`SELECT rowid FROM chunks WHERE document_id = ?`),
      page: db.prepare<[string, number], { text: string }>(`SELECT text FROM document_pages WHERE document_id = ? AND page = ?`),
      insertDocument: db.prepare(
        `INSERT INTO documents (id, collection_id, path, name, format, sha256, bytes, pages, indexed_at, draft_pid) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?)`,
      ),
      finishDocument: db.prepare(
        `UPDATE documents SET path = ?, draft_pid = NULL, pages = ?, pages_without_text_json = ?, pages_read_json = ?, chunk_count = ?, indexed_at = ? WHERE id = ?`,
      ),
      hasPage: db.prepare<[string, number], { page: number }>(`SELECT page FROM document_pages WHERE document_id = ? AND page = ?`),
      insertPage: db.prepare(`INSERT INTO document_pages (document_id, page, text) VALUES (?, ?, ?)`),
      replacePage: db.prepare(`UPDATE document_pages SET text = ? WHERE document_id = ? AND page = ?`),
      deletePageChunks: db.prepare(`DELETE FROM chunks WHERE document_id = ? AND page = ?`),
      insertChunk: db.prepare(`INSERT INTO chunks (document_id, ordinal, page, heading, start, end, text) VALUES (?, ?, ?, ?, ?, ?, ?)`),
      // Not a trigger: FTS5 flushes its pending terms at every trigger's savepoint (migration 16).
      // One statement for a batch's passages, read back inside SQLite rather than passed again.
      indexChunks: db.prepare(`INSERT INTO chunks_fts (rowid, text) SELECT rowid, text FROM chunks WHERE rowid >= ? AND document_id = ? ORDER BY rowid`),
      deleteDocument: db.prepare(`DELETE FROM documents WHERE id = ?`),
      fullText: db.prepare<[string, string, number], { rowid: number }>(
        `SELECT c.rowid FROM chunks_fts JOIN chunks c ON c.rowid = chunks_fts.rowid JOIN documents d ON d.id = c.document_id
         WHERE chunks_fts MATCH ? AND d.collection_id = ? AND d.draft_pid IS NULL ORDER BY bm25(chunks_fts) LIMIT ?`,
      ),
      chunkCount: db.prepare<[string], { n: number }>(`SELECT COALESCE(SUM(chunk_count), 0) AS n FROM documents WHERE collection_id = ?`),
      fullTextAll: db.prepare<[string, number], { rowid: number }>(`SELECT rowid FROM chunks_fts WHERE chunks_fts MATCH ? ORDER BY rank LIMIT ?`),
      inCollection: db.prepare<[string, string], { rowid: number }>(
        // In this order (CROSS JOIN keeps it): SQLite would otherwise walk the collection's documents and all their chunks.
        `SELECT c.rowid FROM json_each(?) AS j CROSS JOIN chunks c ON c.rowid = j.value CROSS JOIN documents d ON d.id = c.document_id WHERE d.collection_id = ? AND d.draft_pid IS NULL`,
      ),
      fullTextWithin: db.prepare<[string, string, number], { rowid: number }>(
        `SELECT c.rowid FROM chunks_fts JOIN chunks c ON c.rowid = chunks_fts.rowid JOIN documents d ON d.id = c.document_id
         WHERE chunks_fts MATCH ? AND c.document_id IN (SELECT value FROM json_each(?)) AND d.draft_pid IS NULL ORDER BY bm25(chunks_fts) LIMIT ?`,
      ),
      // Chunks holding a word starting with the term (the vocabulary's rows are sorted by term).
      termChunks: db.prepare<[string, string], { n: number | null }>(`SELECT SUM(doc) AS n FROM chunks_vocab WHERE term >= ? AND term < ?`),
      chunkTotal: db.prepare<[], { n: number }>(`SELECT COUNT(*) AS n FROM chunks`),
      passages: db.prepare<[string], PassageRow>(
        `SELECT c.rowid, c.document_id, d.name, c.page, c.heading, c.start, c.end, c.text
         FROM chunks c JOIN documents d ON d.id = c.document_id WHERE c.rowid IN (SELECT value FROM json_each(?)) AND d.draft_pid IS NULL`,
      ),
    };
  }

  createCollection(name: string): Collection {
    const trimmed = name.trim();
    if (!trimmed) throw new HearthError("INVALID_INPUT", "A collection needs a name.");
    if (this.statements.collectionByName.get(trimmed)) throw new HearthError("ALREADY_EXISTS", `A collection named "${trimmed}" already exists.`);
    const id = randomUUID();
    this.db.prepare(`INSERT INTO collections (id, name, created_at) VALUES (?, ?, ?)`).run(id, trimmed, Date.now());
    return this.collection(id);
  }

  listCollections(): Collection[] {
    return this.statements.collections.all().map((row) => toCollection(row, row.documents, row.chunks));
  }

  collection(id: string): Collection {
    const row = this.statements.collectionSummary.get(id) ?? notFound(id);
    return toCollection(row, row.documents, row.chunks);
  }

  hasCollection(id: string): boolean {
    return this.statements.collectionById.get(id) !== undefined;
  }

  /** A collection by name (as the CLI names them) or id. */
  resolveCollection(nameOrId: string): Collection {
    const row = this.statements.collectionByName.get(nameOrId.trim()) ?? this.statements.collectionById.get(nameOrId);
    if (!row) throw new HearthError("NOT_FOUND", `No collection named "${nameOrId}".`, { suggestion: "List them with `hearth docs list`." });
    return this.collection(row.id);
  }

  renameCollection(id: string, name: string): Collection {
    const trimmed = name.trim();
    if (!trimmed) throw new HearthError("INVALID_INPUT", "A collection needs a name.");
    const other = this.statements.collectionByName.get(trimmed);
    if (other && other.id !== id) throw new HearthError("ALREADY_EXISTS", `A collection named "${trimmed}" already exists.`);
    if (this.db.prepare(`UPDATE collections SET name = ? WHERE id = ?`).run(trimmed, id).changes === 0) notFound(id);
    return this.collection(id);
  }

  deleteCollection(id: string): void {
    const row = this.statements.collectionById.get(id) ?? notFound(id);
    this.db.transaction(() => {
      if (row.embedding_dims !== null) {
        this.loadVectors();
        this.nearest.delete(vectorTable(row));
        this.nearestWithin.delete(vectorTable(row));
        this.indexes.delete(vectorTable(row));
        this.db.exec(`DROP TABLE IF EXISTS ${vectorTable(row)}`);
      }
      this.db.prepare(`DELETE FROM collections WHERE id = ?`).run(id);
    })();
    this.forgetCounts();
  }

  /**
   * The embedding model a collection's vectors come from, fixed by its first document: vectors of
   * two models cannot be compared, so another model is refused (re-embedding starts afresh).
   */
  /** The model the collection's searches are reranked with, or none. */
  setReranker(collectionId: string, model: { id: string; name: string } | null): Collection {
    this.statements.collectionById.get(collectionId) ?? notFound(collectionId);
    this.db
      .prepare(`UPDATE collections SET reranker_model_id = ?, reranker_model_name = ? WHERE id = ?`)
      .run(model?.id ?? null, model?.name ?? null, collectionId);
    return this.collection(collectionId);
  }

  bindEmbeddingModel(collectionId: string, model: { id: string; name: string }): void {
    const row = this.statements.collectionById.get(collectionId) ?? notFound(collectionId);
    if (row.embedding_model_id === null) {
      this.db.prepare(`UPDATE collections SET embedding_model_id = ?, embedding_model_name = ? WHERE id = ?`).run(model.id, model.name, collectionId);
    } else if (row.embedding_model_id !== model.id) {
      throw new HearthError(
        "INVALID_INPUT",
        `"${row.name}" was indexed with ${row.embedding_model_name ?? row.embedding_model_id}; its vectors cannot be mixed with ${model.name}'s.`,
        { suggestion: `Add with ${row.embedding_model_name ?? row.embedding_model_id}, or re-index the collection with the new model.` },
      );
    }
  }

  listDocuments(collectionId: string): DocumentEntry[] {
    return this.statements.documents.all(collectionId).map(toDocument);
  }

  /** The document stored for this file, if any (its hash says whether it changed since). */
  documentAt(collectionId: string, file: string): DocumentEntry | null {
    const row = this.statements.documentByPath.get(collectionId, file);
    return row ? toDocument(row) : null;
  }

  document(id: string): DocumentEntry {
    const row = this.statements.documentById.get(id);
    if (!row) throw new HearthError("NOT_FOUND", `No document with id ${id}.`);
    return toDocument(row);
  }

  hasDocument(id: string): boolean {
    return this.statements.documentById.get(id) !== undefined;
  }

  /** A page's text, as the citations' spans count it. */
  pageText(documentId: string, page: number): string {
    const row = this.statements.page.get(documentId, page);
    if (!row) throw new HearthError("NOT_FOUND", `The document has no page ${page}.`);
    return row.text;
  }

  /** Stores a document whole (replacing an earlier version of the same file) in one transaction. */
  saveDocument(collectionId: string, document: IndexedDocument): DocumentEntry {
    if (document.vectors.length !== document.chunks.length) throw new Error("every chunk needs its vector");
    const vectorOf = new Map(document.chunks.map((chunk, i) => [chunk, document.vectors[i]!]));
    const byPage = new Map<number, Chunk[]>();
    const pages = new Set(document.parsed.pages.map((page) => page.page));
    for (const chunk of document.chunks) {
      if (!pages.has(chunk.page)) throw new Error(`a chunk on page ${chunk.page}, which the document does not have`);
      const onPage = byPage.get(chunk.page);
      if (onPage) onPage.push(chunk);
      else byPage.set(chunk.page, [chunk]);
    }
    return this.db.transaction(() => {
      const draft = this.beginDraft(collectionId, { ...document, format: document.parsed.format });
      const passages = this.addDraftPages(
        draft,
        document.parsed.pages.map((page) => ({ page, chunks: byPage.get(page.page) ?? [] })),
      );
      return this.finishDraft(
        draft,
        document.parsed,
        passages,
        passages.map((passage) => vectorOf.get(passage.chunk)!),
      );
    })();
  }

  /**
   * Starts a document that is written as it is read: a draft, left out of every list and search
   * until finishDraft. Its path is its file's with its id after a NUL (no file's path holds one),
   * so it never meets the finished document it may replace, which keeps answering meanwhile.
   */
  beginDraft(collectionId: string, file: DocumentFile): string {
    this.statements.collectionById.get(collectionId) ?? notFound(collectionId);
    const id = randomUUID();
    this.statements.insertDocument.run(id, collectionId, `${file.path}\0${id}`, file.name, file.format, file.sha256, file.bytes, Date.now(), process.pid);
    return id;
  }

  /**
   * Writes pages to a draft with their passages, put in the full-text index, in one transaction.
   * A page given again (a scan read by OCR after the rest) replaces its text and passages.
   */
  addDraftPages(draftId: string, pages: { page: PageText; chunks: Chunk[] }[]): DraftPassage[] {
    const written: DraftPassage[] = [];
    this.db.transaction(() => {
      let first: number | bigint | null = null;
      for (const { page, chunks } of pages) {
        if (this.statements.hasPage.get(draftId, page.page)) {
          this.statements.deletePageChunks.run(draftId, page.page);
          this.statements.replacePage.run(page.text, draftId, page.page);
        } else {
          this.statements.insertPage.run(draftId, page.page, page.text);
        }
        // `ordinal`: the passage's place on its page (pages arrive from several readers at once).
        for (const [ordinal, chunk] of chunks.entries()) {
          const { lastInsertRowid } = this.statements.insertChunk.run(draftId, ordinal, chunk.page, chunk.heading, chunk.start, chunk.end, chunk.text);
          first ??= lastInsertRowid;
          written.push({ rowid: Number(lastInsertRowid), chunk });
        }
      }
      // The rows just written, in one statement (the rows of this transaction, from the first).
      if (first !== null) this.statements.indexChunks.run(first, draftId);
    })();
    this.forgetCounts();
    return written;
  }

  /**
   * Makes a draft the collection's document for its file, in one transaction: the earlier version
   * goes, the passages' vectors (in `passages`' order) are stored, and it joins lists and searches.
   */
  finishDraft(
    draftId: string,
    parsed: Pick<ParsedDocument, "pages" | "pagesWithoutText" | "pagesRead">,
    passages: DraftPassage[],
    vectors: Float32Array[],
  ): DocumentEntry {
    const row = this.statements.draftById.get(draftId);
    if (!row) throw new HearthError("NOT_FOUND", `No draft document ${draftId}.`);
    if (vectors.length !== passages.length) throw new Error("every chunk needs its vector");
    const collection = this.statements.collectionById.get(row.collection_id) ?? notFound(row.collection_id);
    const file = row.path.slice(0, row.path.indexOf("\0"));
    const dims = vectors[0]?.length;
    this.forgetCounts();
    const finish = this.db.transaction(() => {
      const earlier = this.statements.documentByPath.get(collection.id, file);
      if (earlier) this.deleteDocumentRows(earlier.id, collection);
      const table = dims ? this.vectorTableFor(collection, dims) : null;
      if (table) {
        const insertVector = this.db.prepare(`INSERT INTO ${table} (rowid, embedding) VALUES (?, vec_quantize_int8(?, 'unit'))`);
        const index = this.indexes.get(table);
        const readBack = this.db.prepare<[bigint], { embedding: Buffer }>(`SELECT embedding FROM ${table} WHERE rowid = ?`);
        for (const [i, { rowid }] of passages.entries()) {
          insertVector.run(BigInt(rowid), unit(vectors[i]!));
          // The index holds the vector as stored (sqlite-vec's own 8-bit rounding).
          index?.add(rowid, int8(readBack.get(BigInt(rowid))!.embedding));
        }
      }
      this.statements.finishDocument.run(
        file,
        parsed.pages.length,
        JSON.stringify(parsed.pagesWithoutText),
        JSON.stringify(parsed.pagesRead),
        passages.length,
        Date.now(),
        draftId,
      );
    });
    try {
      finish();
    } catch (error) {
      // What the transaction added to the in-memory index would outlive its rollback: it goes too.
      this.indexes.delete(vectorTable(collection));
      throw error;
    }
    return this.document(draftId);
  }

  /**
   * Removes a draft and all it holds (an ingestion that failed or stopped on its file). Never
   * throws: a draft that cannot go now (another process holding the database) is left for the
   * next run, and the caller's own error is the one worth reporting.
   */
  discardDraft(draftId: string): void {
    try {
      if (!this.statements.draftById.get(draftId)) return;
      this.db.transaction(() => this.statements.deleteDocument.run(draftId))();
      this.forgetCounts();
    } catch (error) {
      logError(error, "discarding a draft document");
    }
  }

  /**
   * Removes a collection's drafts whose writer is gone (a run that was killed) or is this process
   * (which runs one ingestion of a collection at a time); another live process's are its own.
   */
  discardDrafts(collectionId: string): void {
    for (const { id, draft_pid } of this.statements.drafts.all(collectionId)) {
      if (draft_pid === process.pid || !processAlive(draft_pid)) this.discardDraft(id);
    }
  }

  removeDocument(id: string): void {
    const row = this.statements.documentById.get(id);
    if (!row) throw new HearthError("NOT_FOUND", `No document with id ${id}.`);
    const collection = this.statements.collectionById.get(row.collection_id)!;
    this.db.transaction(() => this.deleteDocumentRows(id, collection))();
  }

  /**
   * The passages that best answer `query`: the full-text ranking (BM25) and, given the query's
   * vector, the nearest chunks by cosine, fused by reciprocal rank. `documentIds` narrows it.
   */
  search(collectionId: string, query: string, options: { queryVector?: Float32Array | null; limit: number; documentIds?: string[] }): Passage[] {
    const collection = this.statements.collectionById.get(collectionId) ?? notFound(collectionId);
    // Narrowed to some documents, both searches look only inside them (a filter after a
    // collection-wide search could find none of a document's passages among the candidates).
    const within = options.documentIds ? JSON.stringify(options.documentIds) : null;
    const rankings: number[][] = [];
    let vectorsFound = false;
    if (options.queryVector && collection.embedding_dims !== null) {
      this.loadVectors();
      const table = vectorTable(collection);
      const vector = unit(options.queryVector);
      const nearest = within
        ? this.nearestWithinStatement(table).all(vector, within, CANDIDATES)
        : (this.vectorIndex(collection)?.nearest(vector, CANDIDATES) ?? this.nearestStatement(table).all(vector, CANDIDATES));
      // Neighbours count when they stand out from the rest; a model whose vectors are all about as
      // near (one not made for embedding) would only shuffle BM25's ranking, or, where the words
      // found nothing, offer noise as an answer's sources.
      if (discriminates(nearest.map((r) => r.distance))) {
        rankings.push(nearest.map((r) => r.rowid));
        vectorsFound = true;
      }
    }
    const fullText = this.ftsQuery(query);
    // A question of common words only says little to BM25, and ranking the passages that hold two
    // of them costs most of a search: where the vectors already found passages, they answer it.
    if (fullText && !(fullText.allCommon && vectorsFound)) {
      const { match } = fullText;
      rankings.push(within ? this.statements.fullTextWithin.all(match, within, CANDIDATES).map((r) => r.rowid) : this.fullTextRanking(match, collectionId));
    }
    const scores = new Map<number, number>();
    for (const ranking of rankings) for (const [rank, rowid] of ranking.entries()) scores.set(rowid, (scores.get(rowid) ?? 0) + 1 / (RRF_K + rank + 1));
    const rows = new Map(this.statements.passages.all(JSON.stringify([...scores.keys()])).map((row) => [row.rowid, row]));
    return (
      [...scores.entries()]
        // A rowid found in the moment a draft took it over (rowids are reused) is not a passage.
        .filter(([rowid]) => rows.has(rowid))
        .sort((a, b) => b[1] - a[1])
        .slice(0, options.limit)
        .map(([rowid, score]) => {
          const row = rows.get(rowid)!;
          return {
            chunkId: row.rowid,
            documentId: row.document_id,
            documentName: row.name,
            page: row.page,
            heading: row.heading,
            start: row.start,
            end: row.end,
            text: row.text,
            score,
          };
        })
    );
  }

  /**
   * A question as an FTS5 query: its words (quoted, so punctuation cannot break the syntax) as
   * prefixes ("renew" finds "renews"), any of them (the passage that answers a question rarely
   * holds all its words; BM25 ranks those with more, and rarer, first), without stop words and
   * without words in more than one passage in twenty: they add almost nothing to BM25's ranking
   * and each costs a pass over most of the index (when all are common, the rarest two together;
   * small collections, fast either way, keep every word).
   */
  private ftsQuery(query: string): { match: string; allCommon: boolean } | null {
    const all = [...new Set(query.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [])];
    const words = all.filter((w) => !STOP_WORDS.has(w) && (w.length > 1 || /\d/.test(w)));
    const terms = words.length ? words : all;
    if (terms.length === 0) return null;
    this.chunkTotal ??= this.statements.chunkTotal.get()!.n;
    const total = this.chunkTotal;
    if (total < PRUNE_FROM) return { match: terms.map((term) => `"${term}"*`).join(" OR "), allCommon: false };
    const counted = terms.map((term) => ({ term, chunks: this.termCount(term) }));
    const telling = counted.filter((t) => t.chunks <= total * COMMON_SHARE);
    if (telling.length) return { match: telling.map(({ term }) => `"${term}"*`).join(" OR "), allCommon: false };
    // All common: the passages holding the rarest two together (fewer to rank than either alone).
    const match = counted
      .sort((a, b) => a.chunks - b.chunks)
      .slice(0, 2)
      .map(({ term }) => `"${term}"*`)
      .join(" AND ");
    return { match, allCommon: true };
  }

  private termCount(term: string): number {
    let count = this.termCounts.get(term);
    if (count === undefined) {
      count = this.statements.termChunks.get(term, `${term}\u{10FFFF}`)?.n ?? 0;
      if (this.termCounts.size >= TERM_CACHE) this.termCounts.delete(this.termCounts.keys().next().value!);
      this.termCounts.set(term, count);
    }
    return count;
  }

  private forgetCounts(): void {
    this.chunkTotal = null;
    this.termCounts.clear();
  }

  /**
   * The passages of a collection that best match a full-text query, best first. FTS5 ranks its
   * own table fastest (`ORDER BY rank`), so the best of all collections are taken and this one's
   * kept; only when they hold too few of this one's is the collection joined in the ranking.
   */
  private fullTextRanking(match: string, collectionId: string): number[] {
    const best = this.statements.fullTextAll.all(match, CANDIDATES * 4);
    const mine = new Set(this.statements.inCollection.all(JSON.stringify(best.map((r) => r.rowid)), collectionId).map((r) => r.rowid));
    const kept = best.filter((r) => mine.has(r.rowid)).map((r) => r.rowid);
    if (kept.length >= CANDIDATES || best.length < CANDIDATES * 4) return kept.slice(0, CANDIDATES);
    return this.statements.fullText.all(match, collectionId, CANDIDATES).map((r) => r.rowid);
  }

  /**
   * The collection's vectors in memory once it is large enough that sqlite-vec's exact scan is
   * slow (read once, ~5 ms per 1,000 passages; kept up to date as documents are added), or null.
   */
  private vectorIndex(collection: CollectionRow): VectorIndex | null {
    const table = vectorTable(collection);
    let index = this.indexes.get(table);
    if (index) return index;
    if (collection.embedding_dims === null || this.statements.chunkCount.get(collection.id)!.n < this.indexFrom) return null;
    index = new VectorIndex(collection.embedding_dims);
    for (const row of this.db.prepare<[], { rowid: number; embedding: Buffer }>(`SELECT rowid, embedding FROM ${table}`).iterate()) {
      index.add(row.rowid, int8(row.embedding));
    }
    this.indexes.set(table, index);
    return index;
  }

  /** A collection's nearest-neighbour query, prepared once per vector table. */
  private nearestStatement(table: string) {
    let statement = this.nearest.get(table);
    if (!statement) {
      statement = this.db.prepare<[Float32Array, number], { rowid: number; distance: number }>(
        `SELECT rowid, distance FROM ${table} WHERE embedding MATCH vec_quantize_int8(?, 'unit') AND k = ? ORDER BY distance`,
      );
      this.nearest.set(table, statement);
    }
    return statement;
  }

  /** The nearest of some documents' chunks: their vectors compared one by one (a document holds few). */
  private nearestWithinStatement(table: string) {
    let statement = this.nearestWithin.get(table);
    if (!statement) {
      statement = this.db.prepare<[Float32Array, string, number], { rowid: number; distance: number }>(
        `SELECT rowid, vec_distance_l2(embedding, vec_quantize_int8(?, 'unit')) AS distance FROM ${table}
         WHERE rowid IN (SELECT rowid FROM chunks WHERE document_id IN (SELECT value FROM json_each(?))) ORDER BY distance LIMIT ?`,
      );
      this.nearestWithin.set(table, statement);
    }
    return statement;
  }

  private deleteDocumentRows(id: string, collection: CollectionRow): void {
    this.forgetCounts();
    // Made again, without the document's passages, on the next search.
    this.indexes.delete(vectorTable(collection));
    if (collection.embedding_dims !== null) {
      this.loadVectors();
      const remove = this.db.prepare(`DELETE FROM ${vectorTable(collection)} WHERE rowid = ?`);
      for (const { rowid } of this.statements.chunkRowids.all(id)) remove.run(BigInt(rowid));
    }
    this.statements.deleteDocument.run(id);
  }

  /** The collection's vector table, made with the first vector's size; a vector of another size is refused. */
  private vectorTableFor(collection: CollectionRow, dims: number): string {
    this.loadVectors();
    if (collection.embedding_dims === null) {
      // Unit vectors as 8-bit integers: a quarter of the size, and the brute-force scan ~1.4x faster
      // than floats; between unit vectors, Euclidean distance ranks as cosine does.
      this.db.exec(`CREATE VIRTUAL TABLE IF NOT EXISTS ${vectorTable(collection)} USING vec0(embedding int8[${dims}])`);
      this.db.prepare(`UPDATE collections SET embedding_dims = ? WHERE id = ?`).run(dims, collection.id);
      collection.embedding_dims = dims;
    } else if (collection.embedding_dims !== dims) {
      throw new HearthError("INVALID_INPUT", `"${collection.name}" holds vectors of ${collection.embedding_dims} numbers; this model makes ${dims}.`);
    }
    return vectorTable(collection);
  }

  /** sqlite-vec is loaded on first use: a database without documents never needs it. */
  private loadVectors(): void {
    if (this.vectorsLoaded) return;
    const { getLoadablePath } = nodeRequire("sqlite-vec") as typeof import("sqlite-vec");
    // Inside the packaged app's archive, native files live beside it, unpacked.
    this.db.loadExtension(getLoadablePath().replace(/app\.asar([\\/])/, "app.asar.unpacked$1"));
    this.vectorsLoaded = true;
  }
}

/**
 * Whether the nearest vectors stand out: the best distance well below the median of the
 * candidates (a quarter of it closer). Real embedding models put an answer's passages far nearer
 * than the rest; a flat list is noise.
 */
function discriminates(distances: number[]): boolean {
  if (distances.length < 4) return true;
  const best = distances[0]!;
  const median = distances[Math.floor(distances.length / 2)]!;
  return median > 0 && (median - best) / median >= FLAT_SPREAD;
}

const FLAT_SPREAD = 0.25;

/** The vector scaled to length 1 (what `vec_quantize_int8(…, 'unit')` expects). */
function unit(vector: Float32Array): Float32Array {
  let sum = 0;
  for (const x of vector) sum += x * x;
  const length = Math.sqrt(sum) || 1;
  return vector.map((x) => x / length);
}

/** Passages from which a collection's vectors are searched in memory rather than by sqlite-vec's scan. */
const INDEX_FROM = 20_000;

/** An 8-bit vector as sqlite-vec stores it. */
const int8 = (blob: Buffer) => new Int8Array(blob.buffer, blob.byteOffset, blob.byteLength);

/** Words whose passage counts are kept between writes. */
const TERM_CACHE = 10_000;

/** A word in more passages than this share of them says little about which one answers. */
const COMMON_SHARE = 0.05;
/** Passages in all collections from which common words are dropped from a search. */
const PRUNE_FROM = 1000;

const vectorTable = (collection: Pick<CollectionRow, "rowid">) => `vec_${Number(collection.rowid)}`;

/** Words that say nothing of what a question is about: they only blur BM25's ranking. */
const STOP_WORDS = new Set(
  "a an and are as at be by can could did do does for from had has have how i if in is it its may might of on or shall should so than that the their them then there these they this to was we were what when where which who whom why will with would you your".split(
    " ",
  ),
);

/** Whether a process runs (one this user may not signal still runs). */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function notFound(id: string): never {
  throw new HearthError("NOT_FOUND", `No collection with id ${id}.`);
}

function toCollection(row: CollectionRow, documents: number, chunks: number): Collection {
  return {
    id: row.id,
    name: row.name,
    createdAt: row.created_at,
    embeddingModelId: row.embedding_model_id,
    embeddingModelName: row.embedding_model_name,
    rerankerModelId: row.reranker_model_id,
    rerankerModelName: row.reranker_model_name,
    documentCount: documents,
    chunkCount: chunks,
  };
}

function toDocument(row: DocumentRow): DocumentEntry {
  return {
    id: row.id,
    collectionId: row.collection_id,
    path: row.path,
    name: row.name,
    format: row.format,
    sha256: row.sha256,
    bytes: row.bytes,
    pages: row.pages,
    pagesWithoutText: z.array(z.number().int()).parse(JSON.parse(row.pages_without_text_json)),
    pagesRead: z.array(z.number().int()).parse(JSON.parse(row.pages_read_json)),
    chunkCount: row.chunk_count,
    indexedAt: row.indexed_at,
  };
}
