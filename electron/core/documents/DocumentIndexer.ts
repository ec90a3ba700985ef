import { createHash, randomUUID } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import type { DocumentEntry, FileOutcome, IngestProgress, Passage } from "../../shared/documents";
import { HearthError, toErrorData } from "../../shared/errors";
import { EngineHost, type EngineHostOptions } from "../engine/EngineHost";
import type { Outbound } from "../network/Outbound";
import type { RemoteEngines } from "../remote/RemoteEngines";
import { remoteEmbed } from "../remote/remoteEmbed";
import { parseRemoteModelId } from "../../shared/remoteIds";
import { loadLibraryModel } from "../engine/loadLibraryModel";
import type { ModelLibrary } from "../models/ModelLibrary";
import type { DocumentStore } from "./DocumentStore";
import { formatOf } from "./parseDocument";
import { readIntoDraft } from "./readIntoDraft";

/** Candidates a reranked search reads for each passage it returns, and at most. */
const RERANK_POOL = 3;
const RERANK_POOL_MAX = 50;
const RERANK_CONTEXT = 1024;

/** Chunks embedded per trip to the engine: few enough that cancel and progress stay prompt. */
const EMBED_BATCH = 32;
const PROGRESS_EVERY_MS = 250;

export interface AddOptions {
  /** The id progress carries (an ingestion started with `start`). */
  ingestId?: string;
  /** The embedding model (a library id); a collection that already has one keeps it. */
  modelId?: string;
  signal?: AbortSignal;
  onProgress?(progress: IngestProgress): void;
}

/**
 * Brings files into a collection: each is read, hashed (an unchanged file is skipped), parsed and
 * cut into chunks, written as a draft as its pages come (readIntoDraft), embedded by the
 * collection's model in an engine process of its own (never the chat's), then made visible with
 * its vectors in one transaction. A file that fails gets its line and the rest
 * go on; a stopped or killed ingestion keeps every document it finished.
 */
export class DocumentIndexer {
  private engine: EngineHost | null = null;
  /** The reranker's engine, apart from the embedding one: a search needs both models at once. */
  private rerankEngine: EngineHost | null = null;
  private readonly running = new Map<string, { collectionId: string; controller: AbortController; done: Promise<void> }>();
  private readonly listeners = new Set<(progress: IngestProgress) => void>();

  constructor(
    private readonly store: DocumentStore,
    private readonly library: ModelLibrary,
    private readonly engineOptions: EngineHostOptions,
    /** Whether scanned pages are read by OCR (the setting). */
    private readonly ocr: () => boolean = () => true,
    /** Remote engines, whose embedding models can embed a collection too. */
    private readonly remote: { remotes: RemoteEngines; outbound: Outbound } | null = null,
  ) {}

  onProgress(listener: (progress: IngestProgress) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Starts an ingestion in the background (the app's way): progress goes to `onProgress`
   * listeners, the last packet (finished) with every file's outcome or the reason it stopped.
   * One at a time per collection.
   */
  start(collectionId: string, paths: string[], modelId?: string): { ingestId: string; done: Promise<void> } {
    const collection = this.store.collection(collectionId);
    if ([...this.running.values()].some((run) => run.collectionId === collectionId)) {
      throw new HearthError("ENGINE_BUSY", `"${collection.name}" is being indexed already.`, { suggestion: "Wait for it, or cancel it." });
    }
    const chosen = modelId ?? collection.embeddingModelId;
    if (!chosen) throw noModelError(collection.name);
    this.store.bindEmbeddingModel(collectionId, this.embeddingModel(chosen));
    const ingestId = randomUUID();
    const controller = new AbortController();
    const emit = (progress: IngestProgress) => this.emit(progress);
    let last: IngestProgress | null = null;
    const done = this.add(collectionId, paths, {
      ingestId,
      modelId: chosen,
      signal: controller.signal,
      onProgress: (progress) => {
        last = progress;
        emit(progress);
      },
    }).then(
      () => undefined,
      (error: unknown) => {
        const base: IngestProgress = last ?? emptyProgress(ingestId, collectionId);
        emit({ ...base, current: null, finished: true, error: toErrorData(error) });
      },
    );
    this.running.set(ingestId, { collectionId, controller, done });
    void done.finally(() => this.running.delete(ingestId));
    return { ingestId, done };
  }

  private emit(progress: IngestProgress): void {
    for (const listener of this.listeners) listener(progress);
  }

  cancel(ingestId: string): void {
    const run = this.running.get(ingestId);
    if (!run) throw new HearthError("NOT_FOUND", `No ingestion ${ingestId} is running.`);
    run.controller.abort(new HearthError("ABORTED", "Stopped; the documents finished so far are kept."));
  }

  async add(collectionId: string, paths: string[], options: AddOptions = {}): Promise<FileOutcome[]> {
    const collection = this.store.collection(collectionId);
    // The collection's model, unless another is asked for (then binding it refuses the mix).
    const modelId = options.modelId ?? collection.embeddingModelId;
    if (!modelId) throw noModelError(collection.name);
    this.store.bindEmbeddingModel(collectionId, this.embeddingModel(modelId));
    // Drafts left by a run that was killed: their files were never finished (adding them again reads them afresh).
    this.store.discardDrafts(collectionId);
    const files = await collectFiles(paths);
    const outcomes: FileOutcome[] = [];
    const started = Date.now();
    let pagesDone = 0;
    let chunksDone = 0;
    let lastProgress = 0;
    const report = (current: string | null, force = false) => {
      if (!options.onProgress || (!force && Date.now() - lastProgress < PROGRESS_EVERY_MS)) return;
      lastProgress = Date.now();
      const seconds = (Date.now() - started) / 1000;
      const done = outcomes.length;
      options.onProgress({
        ingestId: options.ingestId ?? "",
        collectionId,
        documentsDone: done,
        documentsTotal: files.length,
        pagesDone,
        chunksDone,
        chunksPerSecond: seconds > 0 && chunksDone > 0 ? chunksDone / seconds : null,
        etaSeconds: done > 0 && done < files.length ? ((Date.now() - started) / 1000 / done) * (files.length - done) : null,
        current,
        finished: current === null,
        outcomes: [...outcomes],
        error: null,
      });
    };
    for (const file of files) {
      if (options.signal?.aborted) throw options.signal.reason;
      report(file, true);
      try {
        const outcome = await this.addFile(collectionId, modelId, file, options.signal, (pages, chunks) => {
          pagesDone += pages;
          chunksDone += chunks;
          report(file);
        });
        outcomes.push(outcome);
      } catch (error) {
        if (options.signal?.aborted) throw options.signal.reason;
        outcomes.push({ path: file, status: "failed", document: null, error: toErrorData(error) });
      }
    }
    report(null, true);
    return outcomes;
  }

  hasCollection(id: string): boolean {
    return this.store.hasCollection(id);
  }

  /** The passages of a collection that best answer `query` (full text and vectors, fused). */
  async search(collectionId: string, query: string, options: { limit?: number; documentIds?: string[] } = {}): Promise<Passage[]> {
    if (!query.trim()) throw new HearthError("INVALID_INPUT", "Ask something: the question is empty.");
    const queryVector = await this.queryVector(collectionId, query);
    const limit = options.limit ?? 10;
    const { rerankerModelId } = this.store.collection(collectionId);
    if (!rerankerModelId) return this.store.search(collectionId, query, { queryVector, limit, documentIds: options.documentIds });
    // The reranker reads more candidates than are shown, and puts the best first.
    const candidates = this.store.search(collectionId, query, {
      queryVector,
      limit: Math.min(RERANK_POOL_MAX, limit * RERANK_POOL),
      documentIds: options.documentIds,
    });
    return (await this.rerank(rerankerModelId, query, candidates)).slice(0, limit);
  }

  /** Passages in the reranker's order, each with its score. */
  async rerank(modelId: string, query: string, passages: Passage[]): Promise<Passage[]> {
    if (passages.length === 0) return passages;
    const scores = await this.rankTexts(
      modelId,
      query,
      passages.map((p) => p.text),
    );
    return passages.map((p, i) => ({ ...p, rerankScore: scores[i]! })).sort((a, b) => b.rerankScore - a.rerankScore);
  }

  private async rankTexts(modelId: string, query: string, texts: string[]): Promise<number[]> {
    return (await this.rerankerEngine(modelId)).rank(query, texts);
  }

  /** The reranker's engine with `modelId` loaded. */
  private async rerankerEngine(modelId: string): Promise<EngineHost> {
    this.rerankEngine ??= new EngineHost(this.engineOptions);
    if (this.rerankEngine.loadedModel?.id !== modelId) {
      // A query and one passage at a time: a small context, within what the model takes.
      const contextSize = Math.min(RERANK_CONTEXT, this.library.get(modelId).contextLength ?? RERANK_CONTEXT);
      await loadLibraryModel(this.rerankEngine, this.library, modelId, { contextSize });
    }
    return this.rerankEngine;
  }

  /**
   * Reranks the collection's searches with `modelId` from now on (null: no reranking). The model
   * is tried first: one that cannot rank is refused with the reason, and nothing changes.
   */
  async setReranker(collectionId: string, modelId: string | null) {
    const collection = this.store.collection(collectionId);
    if (modelId === null) return this.store.setReranker(collectionId, null);
    const model = this.library.get(modelId);
    // Loaded first, so a refusal from the ranking itself (not from the load) is the model's lack of a head.
    const engine = await this.rerankerEngine(modelId);
    try {
      await engine.rank("Is this a reranker?", ["It is tried on this sentence."]);
    } catch (error) {
      if (error instanceof HearthError && error.code === "INVALID_INPUT") {
        throw new HearthError("INVALID_INPUT", `${model.name} cannot rerank "${collection.name}": it has no ranking head.`, { suggestion: error.suggestion });
      }
      throw error;
    }
    return this.store.setReranker(collectionId, model);
  }

  /** The question's vector by the collection's model (null while the collection has none), for searches that ask it more than once. */
  async queryVector(collectionId: string, query: string): Promise<Float32Array | null> {
    const { embeddingModelId } = this.store.collection(collectionId);
    return embeddingModelId ? new Float32Array((await this.embed(embeddingModelId, [query]))[0]!) : null;
  }

  async dispose(): Promise<void> {
    for (const run of this.running.values()) run.controller.abort(new HearthError("ABORTED", "Hearth is closing."));
    await Promise.all([...this.running.values()].map((run) => run.done));
    await Promise.all([this.engine?.dispose(), this.rerankEngine?.dispose()]);
    this.engine = null;
    this.rerankEngine = null;
  }

  private async addFile(
    collectionId: string,
    modelId: string,
    file: string,
    signal: AbortSignal | undefined,
    onWork: (pages: number, chunks: number) => void,
  ): Promise<FileOutcome> {
    const bytes = await fs.readFile(file).catch((error: NodeJS.ErrnoException) => {
      throw new HearthError(error.code === "ENOENT" ? "NOT_FOUND" : "INVALID_INPUT", `${path.basename(file)} cannot be read: ${error.code ?? error.message}.`);
    });
    const sha256 = createHash("sha256").update(bytes).digest("hex");
    const earlier = this.store.documentAt(collectionId, file);
    if (earlier?.sha256 === sha256) return { path: file, status: "unchanged", document: earlier, error: null };
    const { draftId, parsed, passages } = await readIntoDraft(
      this.store,
      collectionId,
      { path: file, bytes, sha256 },
      { ocr: this.ocr(), onPages: (pages) => onWork(pages, 0) },
    );
    let document: DocumentEntry;
    try {
      const vectors: Float32Array[] = [];
      for (let at = 0; at < passages.length; at += EMBED_BATCH) {
        if (signal?.aborted) throw signal.reason;
        const batch = passages.slice(at, at + EMBED_BATCH);
        const texts = batch.map(({ chunk }) => passageForEmbedding(chunk));
        for (const vector of await this.embed(modelId, texts)) vectors.push(new Float32Array(vector));
        onWork(0, batch.length);
      }
      document = this.store.finishDraft(draftId, parsed, passages, vectors);
    } catch (error) {
      this.store.discardDraft(draftId);
      throw error;
    }
    return { path: file, status: "indexed", document, error: null };
  }

  /** The model a collection is embedded with: a library model, or a remote engine's. */
  private embeddingModel(modelId: string): { id: string; name: string } {
    if (!parseRemoteModelId(modelId)) return this.library.get(modelId);
    if (!this.remote) throw new HearthError("INVALID_INPUT", "Remote engines are not available here.");
    const target = this.remote.remotes.target(modelId);
    return { id: modelId, name: `${target.model} · ${target.engineName}` };
  }

  private async embed(modelId: string, texts: string[]): Promise<number[][]> {
    if (this.remote && parseRemoteModelId(modelId)) return remoteEmbed(this.remote.outbound, this.remote.remotes.target(modelId), texts);
    this.engine ??= new EngineHost(this.engineOptions);
    // A small context: the embedding context is made apart, and the chat context is not used.
    if (this.engine.loadedModel?.id !== modelId) await loadLibraryModel(this.engine, this.library, modelId, { contextSize: 512 });
    return (await this.engine.embedBatch(texts)).vectors;
  }
}

function noModelError(collection: string): HearthError {
  return new HearthError("INVALID_INPUT", `Choose the embedding model for "${collection}" (its first documents fix it).`, {
    suggestion: "An embedding model such as nomic-embed-text v1.5 or bge-small-en-v1.5; any GGUF in the library can embed.",
  });
}

function emptyProgress(ingestId: string, collectionId: string): IngestProgress {
  return {
    ingestId,
    collectionId,
    documentsDone: 0,
    documentsTotal: 0,
    pagesDone: 0,
    chunksDone: 0,
    chunksPerSecond: null,
    etaSeconds: null,
    current: null,
    finished: true,
    outcomes: [],
    error: null,
  };
}

/** What is embedded for a chunk: its headings give a passage that lacks them its subject. */
function passageForEmbedding(chunk: { heading: string | null; text: string }): string {
  return chunk.heading ? `${chunk.heading}\n${chunk.text}` : chunk.text;
}

/**
 * The files named, and the documents Hearth reads inside the folders named (all levels down,
 * hidden ones left out), each once, in order. A file named directly is kept whatever its type, so
 * an unsupported one gets its own line.
 */
export async function collectFiles(paths: string[]): Promise<string[]> {
  const found = new Set<string>();
  for (const given of paths) {
    const absolute = path.resolve(given);
    const stat = await fs.stat(absolute).catch(() => null);
    if (!stat) {
      found.add(absolute);
      continue;
    }
    if (!stat.isDirectory()) {
      found.add(absolute);
      continue;
    }
    for (const entry of await fs.readdir(absolute, { recursive: true, withFileTypes: true })) {
      const folder = entry.parentPath ?? (entry as unknown as { path: string }).path;
      const relative = path.relative(absolute, path.join(folder, entry.name));
      if (relative.split(path.sep).some((part) => part.startsWith("."))) continue;
      if (entry.isFile() && formatOf(entry.name)) found.add(path.join(folder, entry.name));
    }
  }
  return [...found].sort();
}
