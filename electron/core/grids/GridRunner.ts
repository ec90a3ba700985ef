import { parseRemoteModelId } from "../../shared/remoteIds";
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import type { Citation, DocumentEntry } from "../../shared/documents";
import { HearthError, toErrorData } from "../../shared/errors";
import { checkValue } from "../../shared/gridValues";
import type { CellRef, Grid, GridCell, GridColumn, GridPacket, GridRun, GridView } from "../../shared/grids";
import type { DocumentIndexer } from "../documents/DocumentIndexer";
import type { DocumentStore } from "../documents/DocumentStore";
import { fitCitations, toCitation } from "../documents/grounding";
import type { ChatEngine } from "../engine/ChatEngine";
import { replyReserve } from "../engine/worker/historyFit";
import type { ModelLibrary } from "../models/ModelLibrary";
import { CELL_INSTRUCTIONS, cellQuestion, cellReplySchema, readCellReply } from "./cellPrompt";
import type { GridStore } from "./GridStore";

/** Passages of the document a cell is answered from, at most. */
const CELL_PASSAGES = 4;
/** Tokens a cell's JSON reply may take: a short answer and a passage number, with room for a JSON column. */
const CELL_MAX_TOKENS = 384;
/** Tokens a chat template may add around the system prompt and the question. */
const TEMPLATE_ROOM = 64;
/** Errors after which no further cell can be answered: the run stops with them. */
const FATAL = new Set(["MODEL_FILE_MISSING", "MODEL_INVALID", "MODEL_NOT_LOADED", "OUT_OF_MEMORY", "ABORTED"]);

export interface RunScope {
  documentIds?: string[];
  columnIds?: string[];
  onlyMissing?: boolean;
}

interface ActiveRun {
  run: GridRun;
  controller: AbortController;
  /** The engine request answering the current cell (Stop aborts it). */
  requestId: string | null;
  done: Promise<void>;
}

/**
 * Answers a review grid's cells: for each (document, column), that document's best passages for
 * the column's question, and the model's typed answer to them through a JSON-schema grammar on
 * the chat's engine. Cells are stored as they are answered and streamed as packets; one run per
 * grid at a time; Stop leaves the cells not yet answered as they were.
 */
export class GridRunner {
  private readonly runs = new Map<string, ActiveRun>();
  private readonly listeners = new Set<(packet: GridPacket) => void>();

  constructor(
    private readonly grids: GridStore,
    private readonly documents: DocumentStore,
    private readonly indexer: DocumentIndexer,
    private readonly engine: ChatEngine,
    private readonly library: ModelLibrary,
  ) {}

  onUpdate(listener: (packet: GridPacket) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  view(gridId: string): GridView {
    const grid = this.grids.get(gridId);
    const rows = this.documents.listDocuments(grid.collectionId).map(({ id, name, pages }) => ({ id, name, pages }));
    const run = this.runs.get(gridId)?.run;
    return { grid, rows, cells: this.grids.cells(gridId), run: run ? { ...run, queued: [...run.queued] } : null };
  }

  /** Starts answering the cells in `scope` (all by default) in the background. */
  start(gridId: string, scope: RunScope = {}): { runId: string; done: Promise<void> } {
    const grid = this.grids.get(gridId);
    if (this.runs.has(gridId)) {
      throw new HearthError("ENGINE_BUSY", `"${grid.name}" is being filled already.`, { suggestion: "Wait for it, or stop it first." });
    }
    const modelId = grid.modelId ?? this.engine.loadedModel?.id ?? null;
    if (!modelId)
      throw new HearthError("MODEL_NOT_LOADED", `Choose the model that answers "${grid.name}".`, { suggestion: "Pick a model for the grid, or load one." });
    if (!parseRemoteModelId(modelId)) this.library.get(modelId);
    const queued = this.cellsIn(grid, scope);
    const run: GridRun = { runId: randomUUID(), gridId, done: 0, total: queued.length, current: null, queued, startedAt: Date.now() };
    const active: ActiveRun = { run, controller: new AbortController(), requestId: null, done: Promise.resolve() };
    this.runs.set(gridId, active);
    this.emit({ type: "run", gridId, run: { ...run, queued: [...queued] }, error: null });
    active.done = this.fill(grid, modelId, active).then(
      () => this.finish(active, null),
      (error: unknown) => this.finish(active, toErrorData(error)),
    );
    return { runId: run.runId, done: active.done };
  }

  cancel(gridId: string): void {
    const active = this.runs.get(gridId);
    if (!active) throw new HearthError("NOT_FOUND", "This grid is not being filled.");
    active.controller.abort(new HearthError("ABORTED", "Stopped; the cells answered so far are kept."));
    if (active.requestId) this.engine.abort(active.requestId);
  }

  isRunning(gridId: string): boolean {
    return this.runs.has(gridId);
  }

  /** Settles when the grid's run (if any) has ended. */
  async settled(gridId: string): Promise<void> {
    await this.runs.get(gridId)?.done;
  }

  /** Sets a cell by hand: checked against its column's type, marked as edited, sources kept (they may still hold). */
  editCell(gridId: string, documentId: string, columnId: string, value: unknown): GridCell {
    const grid = this.grids.get(gridId);
    const column = columnOf(grid, columnId);
    this.documentOf(grid, documentId);
    if (this.runs.get(gridId)?.run.current?.documentId === documentId && this.runs.get(gridId)?.run.current?.columnId === columnId) {
      throw new HearthError("ENGINE_BUSY", "This cell is being answered right now.", { suggestion: "Edit it when it is done, or stop the grid." });
    }
    const checked = checkValue(column.type, typeof value === "string" ? value.trim() || null : value);
    if (!checked.ok) throw new HearthError("INVALID_INPUT", `"${column.label}": ${checked.message}`);
    const earlier = this.grids.cell(gridId, documentId, columnId);
    const cell = this.grids.saveCell(gridId, {
      documentId,
      columnId,
      status: "done",
      value: checked.value,
      citations: earlier?.citations ?? [],
      edited: true,
      error: null,
      modelMs: null,
      totalMs: null,
    });
    this.dequeue(gridId, cell);
    this.emit({ type: "cell", gridId, cell });
    return cell;
  }

  async dispose(): Promise<void> {
    for (const gridId of this.runs.keys()) this.cancel(gridId);
    await Promise.all([...this.runs.values()].map((active) => active.done));
  }

  /** The cells a run answers: the scope's rows and columns; hand-edited cells only when the run names that one cell. */
  private cellsIn(grid: Grid, scope: RunScope): CellRef[] {
    const rows = this.documents.listDocuments(grid.collectionId).filter((d) => !scope.documentIds || scope.documentIds.includes(d.id));
    const columns = grid.columns.filter((c) => !scope.columnIds || scope.columnIds.includes(c.id));
    if (scope.documentIds) for (const id of scope.documentIds) this.documentOf(grid, id);
    if (scope.columnIds) for (const id of scope.columnIds) columnOf(grid, id);
    const oneCell = rows.length === 1 && columns.length === 1 && scope.documentIds && scope.columnIds;
    const answered = new Map(this.grids.cells(grid.id).map((cell) => [`${cell.documentId} ${cell.columnId}`, cell]));
    const cells: CellRef[] = [];
    for (const row of rows) {
      for (const column of columns) {
        const earlier = answered.get(`${row.id} ${column.id}`);
        if (earlier?.edited && !oneCell) continue;
        if (scope.onlyMissing && earlier?.status === "done") continue;
        cells.push({ documentId: row.id, columnId: column.id });
      }
    }
    return cells;
  }

  private async fill(grid: Grid, modelId: string, active: ActiveRun): Promise<void> {
    const { run, controller } = active;
    if (run.queued.length === 0) return;
    await this.engine.ensureModel(modelId);
    // A column's question is embedded once for all its rows.
    const vectors = new Map<string, Promise<Float32Array | null>>();
    const documents = new Map(this.documents.listDocuments(grid.collectionId).map((d) => [d.id, d]));
    while (run.queued.length > 0) {
      if (controller.signal.aborted) throw controller.signal.reason;
      const ref = run.queued[0]!;
      const column = grid.columns.find((c) => c.id === ref.columnId);
      const document = documents.get(ref.documentId);
      run.current = ref;
      this.emit({ type: "progress", gridId: grid.id, runId: run.runId, done: run.done, current: ref });
      if (column && document) {
        const cell = await this.answerCell(grid, column, document, vectors, active);
        // Stopped mid-cell: the cell keeps what it had. A document removed meanwhile has no row to fill.
        if (controller.signal.aborted) throw controller.signal.reason;
        if (this.documents.hasDocument(document.id)) this.emit({ type: "cell", gridId: grid.id, cell: this.grids.saveCell(grid.id, cell) });
        if (cell.error && FATAL.has(cell.error.code)) throw HearthError.fromData(cell.error);
      }
      run.queued.shift();
      run.done++;
    }
  }

  /**
   * The passages a cell's prompt shows, as many as fit the loaded model's context (counted by its
   * tokenizer). A remote model's tokenizer and context are on its server: it is shown them all,
   * and a server that cannot take them says so in the cell.
   */
  private async fitted(
    citations: Citation[],
    prompt: (list: Citation[], limit: number | null) => string,
  ): Promise<{ citations: Citation[]; quoteLimit: number | null }> {
    const contextSize = this.engine.state.contextSize;
    if (!contextSize) return { citations, quoteLimit: null };
    const budget = contextSize - replyReserve(contextSize, CELL_MAX_TOKENS) - TEMPLATE_ROOM - (await this.engine.tokenize(CELL_INSTRUCTIONS)).length;
    return fitCitations(citations, async (list, limit) => (await this.engine.tokenize(prompt(list, limit))).length <= budget);
  }

  private async answerCell(
    grid: Grid,
    column: GridColumn,
    document: DocumentEntry,
    vectors: Map<string, Promise<Float32Array | null>>,
    active: ActiveRun,
  ): Promise<Omit<GridCell, "updatedAt">> {
    const started = performance.now();
    let modelMs = 0;
    const base = { documentId: document.id, columnId: column.id, edited: false };
    try {
      let vector = vectors.get(column.id);
      if (!vector) {
        const embedStarted = performance.now();
        vector = this.indexer.queryVector(grid.collectionId, column.question);
        vectors.set(column.id, vector);
        await vector;
        modelMs += performance.now() - embedStarted;
      }
      const passages = this.documents.search(grid.collectionId, column.question, {
        queryVector: await vector,
        limit: CELL_PASSAGES,
        documentIds: [document.id],
      });
      // Nothing in the document touches the question: it does not say, and no model is asked.
      if (passages.length === 0) return { ...base, status: "done", value: null, citations: [], error: null, modelMs, totalMs: performance.now() - started };
      const { citations, quoteLimit } = await this.fitted(
        passages.map((p, i) => toCitation(p, i + 1)),
        (list, limit) => cellQuestion(document.name, column.question, column.type, list, limit),
      );
      let text = "";
      const { id, result } = this.engine.chat(
        {
          history: [{ role: "user", text: cellQuestion(document.name, column.question, column.type, citations, quoteLimit) }],
          systemPrompt: CELL_INSTRUCTIONS,
          sampling: { temperature: 0, maxTokens: CELL_MAX_TOKENS },
          overflow: "error",
          jsonSchema: cellReplySchema(column.type, citations.length),
        },
        {
          onChunk: (delta, segment) => {
            if (segment === "answer") text += delta;
          },
        },
      );
      active.requestId = id;
      const reply = await result.finally(() => {
        active.requestId = null;
      });
      modelMs += reply.engineMs;
      if (reply.stopReason === "aborted") throw new HearthError("ABORTED", "Stopped.");
      if (reply.stopReason === "maxTokens" || reply.stopReason === "contextFull") {
        throw new HearthError("MODEL_OUTPUT", `The model's answer did not end within ${CELL_MAX_TOKENS} tokens.`);
      }
      const read = readCellReply(text, column.type, citations);
      return { ...base, status: "done", value: read.value, citations: read.citations, error: null, modelMs, totalMs: performance.now() - started };
    } catch (error) {
      return { ...base, status: "failed", value: null, citations: [], error: toErrorData(error), modelMs, totalMs: performance.now() - started };
    }
  }

  private documentOf(grid: Grid, documentId: string): DocumentEntry {
    const document = this.documents.document(documentId);
    if (document.collectionId !== grid.collectionId) throw new HearthError("NOT_FOUND", `The document ${documentId} is not in this grid's collection.`);
    return document;
  }

  /** A cell set by hand while a run waits to answer it is left out of the run. */
  private dequeue(gridId: string, cell: CellRef): void {
    const run = this.runs.get(gridId)?.run;
    if (!run) return;
    const at = run.queued.findIndex((q, i) => i > 0 && q.documentId === cell.documentId && q.columnId === cell.columnId);
    if (at > 0) {
      run.queued.splice(at, 1);
      run.total--;
    }
  }

  private finish(active: ActiveRun, error: ReturnType<typeof toErrorData> | null): void {
    const { gridId } = active.run;
    this.runs.delete(gridId);
    this.emit({ type: "run", gridId, run: null, error });
  }

  private emit(packet: GridPacket): void {
    for (const listener of this.listeners) listener(packet);
  }
}

function columnOf(grid: Grid, columnId: string): GridColumn {
  const column = grid.columns.find((c) => c.id === columnId);
  if (!column) throw new HearthError("NOT_FOUND", `"${grid.name}" has no column with id ${columnId}.`);
  return column;
}
