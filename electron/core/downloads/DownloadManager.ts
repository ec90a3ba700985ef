import { randomUUID } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { HearthError, toErrorData, type HearthErrorData } from "../../shared/errors";
import { formatBytes } from "../../shared/format";
import { z } from "zod";
import { hearthErrorDataSchema } from "../../shared/errorSchema";
import { type Download, type DownloadPacket, type DownloadStatus, type HubFile, hubFileSchema } from "../../shared/modelHub";
import type { HubClient } from "../hub/HubClient";
import type { ModelLibrary } from "../models/ModelLibrary";
import { checkedSummary, fileSize, inspectGguf, readGgufHeader, type GgufHeader } from "../models/inspectGguf";
import type { Outbound } from "../network/Outbound";
import type { Db } from "../store/openDatabase";
import { logError } from "../errorLog";
import { currentOwner, ownerAlive } from "../processOwner";
import { backoffMs, RateMeter } from "./rateMeter";
import { lockPart, type PartLock } from "./partLock";
import { segmentsFile } from "./segments";
import { transferFile } from "./transferFile";

export interface DownloadOptions {
  /** Downloads running at once; the rest wait in the queue. */
  maxConcurrent: number;
  /** Tries per file before the download is reported failed. */
  maxAttempts: number;
  /** The first retry waits this long, then twice as long each time. */
  retryUnitMs: number;
  /** No byte for this long counts as a stall, which is retried like a dropped connection. */
  stallMs: number;
  /** Free bytes on the disk holding a folder (replaceable to simulate a full disk). */
  freeDiskBytes(dir: string): Promise<number>;
  /**
   * Bytes on disk from the file's start before the model's header is read from the partial file
   * (files under twice this are read once whole): headers are a few MB even with the largest
   * vocabularies.
   */
  earlyHeaderAtBytes: number;
  /** Ranged connections per large file (the Settings value). */
  connections(): number;
  /** No connection gets a share smaller than this: a small file comes over one. */
  minSegmentBytes: number;
}

interface Row {
  id: string;
  created_at: number;
  repo: string;
  quant: string;
  files_json: string;
  dest_dir: string;
  total_bytes: number;
  received_bytes: number;
  status: DownloadStatus;
  message: string | null;
  error_json: string | null;
  model_id: string | null;
  owner_pid: number | null;
  owner_started: number | null;
}

type StopReason = "pause" | "cancel" | "shutdown";

interface Active {
  controller: AbortController;
  stop?: StopReason;
  meter: RateMeter;
  received: number;
}

/** Room kept free beyond the file itself, so a download never fills the disk to the last byte. */
const DISK_MARGIN = 64 * 1024 * 1024;
const PROGRESS_EVERY_MS = 200;
/** States in which a download has not stopped yet. */
const LIVE: readonly DownloadStatus[] = ["queued", "running", "retrying", "verifying"];

/**
 * The download queue: several at once, pause, resume, cancel, retries with backoff, stall
 * detection, a disk-space check before starting, SHA-256 verification, and only then the
 * library. State lives in SQLite and partial bytes in `.part` files, so a restart or a crash
 * resumes where it stopped.
 */
export class DownloadManager {
  private readonly active = new Map<string, Active>();
  private readonly listeners = new Set<(packet: DownloadPacket) => void>();
  private readonly waiters = new Map<string, Set<(download: Download) => void>>();
  /** Downloads this process should run: all queued ones once `startQueue` is called, else only those asked for here. */
  private readonly wanted = new Set<string>();
  private runsWholeQueue = false;
  /** Downloads whose files another process held when this one tried: not retried until resumed by hand. */
  private readonly heldElsewhere = new Set<string>();
  private disposed = false;
  private readonly statements;
  /** Connections asked for one download (`hearth models pull --connections`), over the setting. */
  private readonly connectionsFor = new Map<string, number>();

  constructor(
    private readonly db: Db,
    private readonly library: ModelLibrary,
    private readonly hub: HubClient,
    private readonly outbound: Outbound,
    private readonly options: DownloadOptions,
  ) {
    this.statements = {
      row: db.prepare<[string], Row>(`SELECT * FROM downloads WHERE id = ?`),
      queued: db.prepare<[], { id: string }>(`SELECT id FROM downloads WHERE status = 'queued' ORDER BY created_at`),
      update: db.prepare(
        `UPDATE downloads SET status = ?, message = COALESCE(?, CASE WHEN ? THEN NULL ELSE message END),
           error_json = CASE WHEN ? THEN ? ELSE error_json END, model_id = COALESCE(?, model_id),
           received_bytes = COALESCE(?, received_bytes) WHERE id = ?`,
      ),
      saveReceived: db.prepare(`UPDATE downloads SET received_bytes = ? WHERE id = ?`),
    };
  }

  list(): Download[] {
    return this.db
      .prepare<[], Row>(`SELECT * FROM downloads ORDER BY created_at DESC`)
      .all()
      .map((row) => this.toDownload(row));
  }

  get(id: string): Download {
    const row = this.row(id);
    if (!row) throw new HearthError("NOT_FOUND", `No download with id ${id}.`);
    return this.toDownload(row);
  }

  onPacket(listener: (packet: DownloadPacket) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Downloads a process left running when it stopped (closed, killed, crashed) go back to the
   * queue. One still run by another live Hearth on this data dir (the app while the CLI starts)
   * is left alone.
   */
  markInterrupted(): void {
    const live = this.db
      .prepare<[], { id: string; owner_pid: number | null; owner_started: number | null }>(
        `SELECT id, owner_pid, owner_started FROM downloads WHERE status IN ('running', 'retrying', 'verifying')`,
      )
      .all();
    const requeue = this.db.prepare(
      `UPDATE downloads SET status = 'queued', owner_pid = NULL, owner_started = NULL, message = 'Interrupted; resumes from the bytes already on disk.' WHERE id = ?`,
    );
    for (const row of live) if (!ownerAlive(row.owner_pid, row.owner_started)) requeue.run(row.id);
  }

  /** Runs every queued download (the app and browser mode); the CLI runs only the ones it starts. */
  startQueue(): void {
    this.runsWholeQueue = true;
    this.pump();
  }

  /** Free bytes where downloads go now. */
  freeSpace(): Promise<number> {
    return this.options.freeDiskBytes(this.library.modelsDir);
  }

  /**
   * The library entry this model of this repo already is, if any: one downloaded from it, or
   * whatever file sits where the download would put it.
   */
  findDownloaded(repo: string, files: readonly HubFile[]): string | null {
    const first = path.basename(files[0]!.path);
    const fromRepo = this.library.list().find((m) => m.sourceRepo === repo && path.basename(m.path) === first);
    const destDir = path.join(this.library.modelsDir, ...repo.split("/"));
    return fromRepo?.id ?? this.library.findByPath(this.finalPath({ dest_dir: destDir }, files[0]!))?.id ?? null;
  }

  /**
   * Queues a model (one file or all parts of a split one). The same model already queued,
   * paused or failed is resumed instead of downloaded twice. Refused with DISK_FULL when the
   * disk cannot hold what is left to fetch.
   */
  async enqueue(repo: string, quant: string, files: HubFile[], options: { connections?: number } = {}): Promise<Download> {
    const inLibrary = this.findDownloaded(repo, files);
    if (inLibrary) {
      throw new HearthError("ALREADY_EXISTS", `${repo} ${quant} is already in the library as ${inLibrary}.`, {
        suggestion: "Load it from the Library; nothing was downloaded.",
      });
    }
    this.outbound.assertOnline(`the download of ${repo}`);
    const existing = this.db
      .prepare<[string, string], Row>(
        `SELECT * FROM downloads WHERE repo = ? AND json_extract(files_json, '$[0].path') = ? AND status NOT IN ('done', 'cancelled') ORDER BY created_at DESC`,
      )
      .get(repo, files[0]!.path);
    if (existing) {
      if (options.connections) this.connectionsFor.set(existing.id, options.connections);
      this.resume(existing.id);
      return this.get(existing.id);
    }
    const destDir = path.join(this.library.modelsDir, ...repo.split("/"));
    const total = files.reduce((sum, file) => sum + file.size, 0);
    await this.checkDiskSpace(destDir, files, total);
    const id = randomUUID();
    this.db
      .prepare(`INSERT INTO downloads (id, created_at, repo, quant, files_json, dest_dir, total_bytes, status) VALUES (?, ?, ?, ?, ?, ?, ?, 'queued')`)
      .run(id, Date.now(), repo, quant, JSON.stringify(files), destDir, total);
    this.wanted.add(id);
    if (options.connections) this.connectionsFor.set(id, options.connections);
    this.emitStatus(id);
    this.pump();
    return this.get(id);
  }

  pause(id: string): void {
    const download = this.get(id);
    const running = this.active.get(id);
    if (running) {
      this.stop(running, "pause");
      return;
    }
    if (download.status === "queued") this.update(id, { status: "paused", message: null });
  }

  resume(id: string): void {
    const download = this.get(id);
    if (download.status === "done" || this.active.has(id)) return;
    this.assertNotRunElsewhere(id);
    this.heldElsewhere.delete(id);
    this.wanted.add(id);
    this.update(id, { status: "queued", message: null, error: null });
    this.pump();
  }

  /** Stops a download and deletes its partial files. */
  async cancel(id: string): Promise<void> {
    const download = this.get(id);
    const running = this.active.get(id);
    if (running) {
      this.stop(running, "cancel");
      await this.waitFor(id);
      return;
    }
    if (download.status === "done") return;
    await this.deleteParts(this.row(id)!);
    this.update(id, { status: "cancelled", message: null, receivedBytes: 0 });
  }

  /** Removes a finished, failed or cancelled download from the list (the model, if any, stays). */
  remove(id: string): void {
    const download = this.get(id);
    if (!["done", "failed", "cancelled"].includes(download.status)) {
      throw new HearthError("INVALID_INPUT", "Pause or cancel the download before removing it from the list.");
    }
    this.db.prepare(`DELETE FROM downloads WHERE id = ?`).run(id);
    this.emit({ type: "removed", id });
  }

  /** Resolves when the download stops: done, failed, cancelled or paused. */
  waitFor(id: string): Promise<Download> {
    const now = this.get(id);
    if (!this.active.has(id) && !LIVE.includes(now.status)) return Promise.resolve(now);
    return new Promise((resolve) => {
      const set = this.waiters.get(id) ?? new Set();
      set.add(resolve);
      this.waiters.set(id, set);
    });
  }

  /** Stops running downloads, keeping their bytes; they resume on the next start. */
  async dispose(): Promise<void> {
    this.disposed = true;
    const ids = [...this.active.keys()];
    for (const id of ids) this.stop(this.active.get(id)!, "shutdown");
    await Promise.all(ids.map((id) => this.waitFor(id)));
  }

  /** A download another live Hearth process is running is left to it (two writers would corrupt the file). */
  private assertNotRunElsewhere(id: string): void {
    const row = this.row(id)!;
    if (LIVE.includes(row.status) && row.status !== "queued" && row.owner_pid !== process.pid && ownerAlive(row.owner_pid, row.owner_started)) {
      throw new HearthError("IN_USE", `Another Hearth process (pid ${row.owner_pid}) is downloading ${row.repo} ${row.quant}.`, {
        suggestion: "Wait for it to finish; the model appears in the library when it does.",
      });
    }
  }

  private stop(active: Active, reason: StopReason): void {
    active.stop = reason;
    active.controller.abort(new HearthError("ABORTED", `Download ${reason === "cancel" ? "cancelled" : "paused"}.`));
  }

  private pump(): void {
    if (this.disposed) return;
    const queued = this.statements.queued.all();
    for (const { id } of queued) {
      if (this.active.size >= this.options.maxConcurrent) return;
      if (this.active.has(id) || this.heldElsewhere.has(id) || (!this.runsWholeQueue && !this.wanted.has(id))) continue;
      const active: Active = { controller: new AbortController(), meter: new RateMeter(), received: 0 };
      this.active.set(id, active);
      void this.run(id, active).finally(() => {
        this.active.delete(id);
        this.settleWaiters(this.get(id));
        this.pump();
      });
    }
  }

  private async run(id: string, active: Active): Promise<void> {
    const row = this.row(id)!;
    const files = filesOf(row);
    const signal = active.controller.signal;
    let locks: PartLock[] = [];
    try {
      await fs.mkdir(row.dest_dir, { recursive: true });
      locks = await lockParts(files.map((file) => `${this.finalPath(row, file)}.part`));
    } catch (error) {
      // Another process holds the file: its row is its own, so nothing is written here.
      return this.abandon(id, toErrorData(error));
    }
    try {
      this.db.prepare(`UPDATE downloads SET owner_pid = ?, owner_started = ? WHERE id = ?`).run(currentOwner().pid, currentOwner().startedAt, id);
      this.update(id, { status: "running", message: null, error: null });
      await this.checkDiskSpace(row.dest_dir, files, row.total_bytes);
      await fs.mkdir(row.dest_dir, { recursive: true });
      let done = 0;
      let lastEmit = 0;
      let lastSave = 0;
      let earlyHeader: Promise<GgufHeader | null> | null = null;
      for (const file of files) {
        const partPath = `${this.finalPath(row, file)}.part`;
        for (let attempt = 1; ; attempt++) {
          try {
            await transferFile({
              url: this.hub.fileUrl(row.repo, file.path),
              headers: this.hub.authHeaders(),
              file,
              partPath,
              outbound: this.outbound,
              signal,
              stallMs: this.options.stallMs,
              connections: this.connectionsFor.get(id) ?? this.options.connections(),
              minSegmentBytes: this.options.minSegmentBytes,
              onProgress: ({ written, contiguous }) => {
                active.received = done + written;
                active.meter.add(active.received);
                const now = Date.now();
                if (now - lastEmit >= PROGRESS_EVERY_MS) {
                  lastEmit = now;
                  this.emitProgress(id, row.total_bytes, active);
                }
                if (now - lastSave >= 1000) {
                  lastSave = now;
                  this.statements.saveReceived.run(active.received, id);
                }
                // The header is read while the weights still arrive, so the model is listed the
                // moment its last byte is verified. Any failure here is left to the final check.
                const at = this.options.earlyHeaderAtBytes;
                if (!earlyHeader && file === files[0] && contiguous >= at && file.size >= 2 * at) {
                  earlyHeader = readGgufHeader(partPath).catch(() => null);
                }
              },
            });
            break;
          } catch (error) {
            if (signal.aborted || !isRetryable(error) || attempt >= this.options.maxAttempts) throw error;
            const waitMs = backoffMs(attempt, this.options.retryUnitMs);
            const reason = error instanceof Error ? error.message : String(error);
            this.update(id, {
              status: "retrying",
              message: `Retrying in ${formatWait(waitMs)} (attempt ${attempt + 1} of ${this.options.maxAttempts}): ${reason}`,
            });
            active.meter.reset();
            await sleep(waitMs, signal);
            this.update(id, { status: "running", message: null });
          }
        }
        done += file.size;
      }
      this.update(id, { status: "verifying", message: "Checking the model file", receivedBytes: row.total_bytes });
      const model = await this.addToLibrary(row, files, await earlyHeader);
      const unverified = files.some((file) => !file.sha256);
      this.update(id, { status: "done", modelId: model.id, message: unverified ? "The hub gave no SHA-256 for this file; only its size was checked." : null });
    } catch (error) {
      if (active.stop === "pause") return this.update(id, { status: "paused", message: null, receivedBytes: active.received });
      if (active.stop === "shutdown") {
        return this.update(id, { status: "queued", message: "Interrupted; resumes from the bytes already on disk.", receivedBytes: active.received });
      }
      if (active.stop === "cancel") {
        await this.deleteParts(row);
        return this.update(id, { status: "cancelled", message: null, receivedBytes: 0 });
      }
      const data = toErrorData(error);
      if (data.code === "INTERNAL") logError(error);
      this.update(id, { status: "failed", error: data, message: null, receivedBytes: active.received });
    } finally {
      await Promise.all(locks.map((lock) => lock.release()));
    }
  }

  /** Tells this process's waiters that the download could not run here, without touching its row. */
  private abandon(id: string, error: HearthErrorData): void {
    const download = { ...this.get(id), status: "failed" as const, error };
    for (const resolve of this.waiters.get(id) ?? []) resolve(download);
    this.waiters.delete(id);
    this.wanted.delete(id);
    this.heldElsewhere.add(id);
  }

  /**
   * Makes the verified parts durable (fsync of each file and of its folder), renames them into
   * place and adds the model. A file the engine could not use is deleted, never listed; a file
   * that is already a library model is never overwritten or deleted.
   */
  private async addToLibrary(row: Row, files: HubFile[], header: GgufHeader | null) {
    const finals = files.map((file) => path.resolve(this.finalPath(row, file)));
    const taken = finals.map((final) => this.library.findByPath(final)).find(Boolean);
    if (taken)
      throw new HearthError("ALREADY_EXISTS", `${path.basename(taken.path)} is already in the library as ${taken.id}; the download was kept as a .part file.`);
    const renamed: string[] = [];
    try {
      for (const final of finals) await syncFile(`${final}.part`);
      for (const final of finals) {
        await fs.rename(`${final}.part`, final);
        renamed.push(final);
      }
      await syncDir(row.dest_dir);
      const summary = header ? checkedSummary(header, finals[0]!, await fileSize(finals[0]!)) : await inspectGguf(finals[0]!);
      return this.library.add({ ...summary, fileSize: row.total_bytes }, "downloaded", row.repo);
    } catch (error) {
      await Promise.all(renamed.filter((final) => !this.library.findByPath(final)).map((final) => fs.rm(final, { force: true })));
      throw error;
    }
  }

  private async checkDiskSpace(destDir: string, files: readonly HubFile[], total: number): Promise<void> {
    const row = { dest_dir: destDir } as Row;
    let onDisk = 0;
    for (const file of files)
      onDisk += await fs.stat(`${this.finalPath(row, file)}.part`).then(
        // A segmented .part has holes: count the blocks it holds, not its length.
        (s) => (s.blocks ? Math.min(s.size, s.blocks * 512) : s.size),
        () => 0,
      );
    const needed = total - onDisk;
    const free = await this.options.freeDiskBytes(destDir);
    if (free < needed + DISK_MARGIN) {
      throw new HearthError("DISK_FULL", `Not enough disk space: the download needs ${formatBytes(needed)} and ${destDir} has ${formatBytes(free)} free.`);
    }
  }

  private finalPath(row: Pick<Row, "dest_dir">, file: HubFile): string {
    return path.join(row.dest_dir, path.basename(file.path));
  }

  private async deleteParts(row: Row): Promise<void> {
    const files = filesOf(row);
    const parts = files.map((file) => `${this.finalPath(row, file)}.part`);
    await Promise.all(parts.flatMap((part) => [fs.rm(part, { force: true }), fs.rm(segmentsFile(part), { force: true })]));
  }

  private row(id: string): Row | undefined {
    return this.statements.row.get(id);
  }

  private update(
    id: string,
    patch: { status: DownloadStatus; message?: string | null; error?: HearthErrorData | null; modelId?: string; receivedBytes?: number },
  ): void {
    this.statements.update.run(
      patch.status,
      patch.message ?? null,
      patch.message === null ? 1 : 0,
      patch.error !== undefined ? 1 : 0,
      patch.error ? JSON.stringify(patch.error) : null,
      patch.modelId ?? null,
      patch.receivedBytes ?? null,
      id,
    );
    this.emitStatus(id);
  }

  private emitStatus(id: string): void {
    const download = this.get(id);
    this.emit({ type: "status", download });
    // A download paused or cancelled while it waited in the queue stops without running.
    if (!this.active.has(id)) this.settleWaiters(download);
  }

  private settleWaiters(download: Download): void {
    const id = download.id;
    if (LIVE.includes(download.status)) return;
    for (const resolve of this.waiters.get(id) ?? []) resolve(download);
    this.waiters.delete(id);
  }

  private emitProgress(id: string, total: number, active: Active): void {
    this.emit({
      type: "progress",
      id,
      receivedBytes: active.received,
      bytesPerSecond: active.meter.bytesPerSecond(),
      etaSeconds: active.meter.etaSeconds(total - active.received),
    });
  }

  private emit(packet: DownloadPacket): void {
    for (const listener of this.listeners) listener(packet);
  }

  private toDownload(row: Row): Download {
    // The live counters only while it runs: a stopped download is what its row says (a cancel's zero).
    const active = LIVE.includes(row.status) ? this.active.get(row.id) : undefined;
    return {
      id: row.id,
      repo: row.repo,
      quant: row.quant,
      files: filesOf(row),
      totalBytes: row.total_bytes,
      receivedBytes: active ? active.received : row.received_bytes,
      status: row.status,
      bytesPerSecond: active ? active.meter.bytesPerSecond() : null,
      etaSeconds: active ? active.meter.etaSeconds(row.total_bytes - active.received) : null,
      message: row.message,
      error: row.error_json ? hearthErrorDataSchema.parse(JSON.parse(row.error_json)) : null,
      modelId: row.model_id,
      createdAt: row.created_at,
    };
  }
}

/** A row's files, read through their schema. */
function filesOf(row: Pick<Row, "files_json">): HubFile[] {
  return z.array(hubFileSchema).parse(JSON.parse(row.files_json));
}

/** A dropped, refused, stalled or cut-short connection, or a server error: worth another try. */
function isRetryable(error: unknown): boolean {
  return error instanceof HearthError && error.code === "NETWORK";
}

/** Takes every part's lock, or none: one refused gives back those already taken. */
async function lockParts(parts: string[]): Promise<PartLock[]> {
  const taken: PartLock[] = [];
  try {
    for (const part of parts) taken.push(await lockPart(part));
    return taken;
  } catch (error) {
    await Promise.all(taken.map((lock) => lock.release()));
    throw error;
  }
}

async function syncFile(file: string): Promise<void> {
  const handle = await fs.open(file, "r+");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** The rename itself survives a power cut only once the folder is synced (not possible on Windows). */
async function syncDir(dir: string): Promise<void> {
  if (process.platform === "win32") return;
  const handle = await fs.open(dir, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

function formatWait(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`;
}
