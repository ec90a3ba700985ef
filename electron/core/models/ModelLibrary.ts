import { randomUUID } from "node:crypto";
import { constants as fsConstants, existsSync } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { type LoadSettings, type ModelEntry, type SamplingSettings, samplingSettingsSchema } from "../../shared/contract";
import { HearthError } from "../../shared/errors";
import type { Db } from "../store/openDatabase";
import { displayNameFor } from "./displayName";
import { inspectGguf, type GgufSummary } from "./inspectGguf";

interface ModelRow {
  id: string;
  name: string;
  path: string;
  file_size: number;
  architecture: string | null;
  parameter_count: number | null;
  quantization: string | null;
  context_length: number | null;
  has_chat_template: number;
  source_repo: string | null;
  storage: ModelEntry["storage"];
  added_at: number;
  last_used_at: number | null;
  load_defaults_json: string | null;
  source_path: string | null;
  display_name: string | null;
  sampling_defaults_json: string | null;
}

/** The local GGUF files Hearth knows: copied into the models folder, referenced where they are, or downloaded. */
export class ModelLibrary {
  constructor(
    private readonly db: Db,
    /** The models folder now: the user's choice in settings, else `<data dir>/models`. */
    private readonly modelsDirNow: () => string,
  ) {}

  get modelsDir(): string {
    return this.modelsDirNow();
  }

  list(): ModelEntry[] {
    return this.db.prepare<[], ModelRow>(`SELECT * FROM models ORDER BY COALESCE(last_used_at, added_at) DESC, name`).all().map(entryFromRow);
  }

  find(id: string): ModelEntry | null {
    const row = this.db.prepare<[string], ModelRow>(`SELECT * FROM models WHERE id = ?`).get(id);
    return row ? entryFromRow(row) : null;
  }

  get(id: string): ModelEntry {
    const entry = this.find(id);
    if (!entry) throw new HearthError("NOT_FOUND", `No model with id ${id} in the library.`, { suggestion: "Run `hearth models list` to see the ids." });
    return entry;
  }

  findByPath(file: string): ModelEntry | null {
    const row = this.db.prepare<[string], ModelRow>(`SELECT * FROM models WHERE path = ?`).get(path.resolve(file));
    return row ? entryFromRow(row) : null;
  }

  /** A library id, or a path to a GGUF file (added to the library by reference if new). */
  async resolve(idOrPath: string): Promise<ModelEntry> {
    const entry = this.find(idOrPath);
    if (entry) return entry;
    if (looksLikePath(idOrPath)) return this.import(idOrPath, "reference");
    throw new HearthError("NOT_FOUND", `No model with id ${idOrPath} in the library, and no such file.`, {
      suggestion: "Give a library id (`hearth models list`) or a path to a .gguf file.",
    });
  }

  /**
   * Adds a GGUF file. `copy` puts a copy in the models folder (written to a `.part` file and
   * renamed, so a half-copied file never looks like a model); `reference` keeps it where it is.
   */
  async import(file: string, mode: "copy" | "reference", sourceRepo: string | null = null): Promise<ModelEntry & { alreadyInLibrary: boolean }> {
    const source = path.resolve(file);
    const existing = this.findByPath(source) ?? this.findCopyOf(source);
    // Already there (the file itself, or a copy made of it): nothing to copy or add, and the caller says so.
    if (existing) return { ...existing, alreadyInLibrary: true };
    const summary = await inspectLocal(source);
    if (mode === "reference") return { ...this.add(summary, "referenced", sourceRepo), alreadyInLibrary: false };

    const stored = await this.copyIn(summary.path);
    // Another import of the same file may have finished while this one copied: keep one.
    const raced = this.findCopyOf(source);
    if (raced) {
      await fs.rm(stored, { force: true });
      return { ...raced, alreadyInLibrary: true };
    }
    const entry = this.add({ ...summary, path: stored }, "copied", sourceRepo);
    this.db.prepare(`UPDATE models SET source_path = ? WHERE id = ?`).run(source, entry.id);
    return { ...entry, alreadyInLibrary: false };
  }

  /** A copy of `source` this library made, if any. */
  private findCopyOf(source: string): ModelEntry | null {
    const row = this.db.prepare<[string], ModelRow>(`SELECT * FROM models WHERE source_path = ? AND storage = 'copied'`).get(source);
    return row ? entryFromRow(row) : null;
  }

  /**
   * Copies a file into the models folder: into a `.part` of its own (so a half-copied file never
   * looks like a model, and two copies never share one), then linked under a free name, which
   * never replaces a file already there. Returns where it went.
   */
  private async copyIn(source: string): Promise<string> {
    await fs.mkdir(this.modelsDir, { recursive: true });
    const wanted = path.join(this.modelsDir, path.basename(source));
    const partial = `${wanted}.${randomUUID()}.part`;
    try {
      await fs.copyFile(source, partial, fsConstants.COPYFILE_EXCL);
      for (let n = 1; ; n++) {
        const candidate = numbered(wanted, n);
        try {
          await fs.link(partial, candidate);
          return candidate;
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code;
          if (code === "EEXIST") continue;
          if (code !== "EPERM" && code !== "ENOTSUP" && code !== "ENOSYS") throw error;
          // A file system without hard links (FAT, exFAT): rename to a name seen free.
          if (
            await fs.access(candidate).then(
              () => true,
              () => false,
            )
          )
            continue;
          await fs.rename(partial, candidate);
          return candidate;
        }
      }
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOSPC") throw new HearthError("DISK_FULL", `Not enough disk space to copy the model into ${this.modelsDir}.`);
      throw error;
    } finally {
      await fs.rm(partial, { force: true });
    }
  }

  /**
   * Points a model whose file moved at its new place. The file must be a whole GGUF of the same
   * architecture and size; it is the user's from then on (referenced): Hearth will not delete it
   * when the model is removed.
   */
  async locate(id: string, file: string): Promise<ModelEntry> {
    const entry = this.get(id);
    const other = this.findByPath(file);
    if (other && other.id !== id)
      throw new HearthError("ALREADY_EXISTS", `${file} is already in the library as ${other.id}.`, { suggestion: "Remove this entry instead." });
    const summary = await inspectLocal(file);
    if (summary.fileSize !== entry.fileSize || summary.architecture !== entry.architecture) {
      throw new HearthError(
        "INVALID_INPUT",
        `${path.basename(file)} is not the same model (${summary.architecture ?? "?"}, ${summary.fileSize} bytes; expected ${entry.architecture ?? "?"}, ${entry.fileSize} bytes).`,
        {
          suggestion: "Pick the model's own file, or import this one as a new model.",
        },
      );
    }
    // A file found elsewhere is the user's: removing the model will never delete it.
    const storage = summary.path === entry.path ? entry.storage : "referenced";
    this.db.prepare(`UPDATE models SET path = ?, storage = ? WHERE id = ?`).run(summary.path, storage, id);
    return this.get(id);
  }

  /** Bytes of model files Hearth owns (copied or downloaded); referenced files are the user's. */
  diskUsage(): number {
    return this.db.prepare<[], { total: number | null }>(`SELECT SUM(file_size) AS total FROM models WHERE storage != 'referenced'`).get()?.total ?? 0;
  }

  /** Records a file already in place (a finished download, for one). */
  add(summary: GgufSummary, storage: ModelEntry["storage"], sourceRepo: string | null): ModelEntry {
    const id = this.uniqueId(slugFor(path.basename(summary.path, ".gguf")));
    this.db
      .prepare(
        `INSERT INTO models (id, name, path, file_size, architecture, parameter_count, quantization, context_length,
           has_chat_template, source_repo, storage, added_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        id,
        summary.name,
        summary.path,
        summary.fileSize,
        summary.architecture,
        summary.parameterCount,
        summary.quantization,
        summary.contextLength,
        summary.hasChatTemplate ? 1 : 0,
        sourceRepo,
        storage,
        Date.now(),
      );
    return this.get(id);
  }

  /** Forgets a model; deletes its file only when Hearth owns it (copied or downloaded). */
  async remove(id: string, deleteFile = true): Promise<{ deletedFile: boolean }> {
    const entry = this.get(id);
    this.db.prepare(`DELETE FROM models WHERE id = ?`).run(id);
    if (deleteFile && entry.storage !== "referenced") {
      await fs.rm(entry.path, { force: true });
      return { deletedFile: true };
    }
    return { deletedFile: false };
  }

  markUsed(id: string): void {
    this.db.prepare(`UPDATE models SET last_used_at = ? WHERE id = ?`).run(Date.now(), id);
  }

  setLoadDefaults(id: string, defaults: Partial<LoadSettings> | null): ModelEntry {
    this.get(id);
    this.db.prepare(`UPDATE models SET load_defaults_json = ? WHERE id = ?`).run(defaults ? JSON.stringify(defaults) : null, id);
    return this.get(id);
  }

  /** The sampling a model's replies start from (over the app's defaults, under a conversation's own). */
  setSamplingDefaults(id: string, sampling: SamplingSettings | null): ModelEntry {
    this.get(id);
    const stored = sampling && Object.keys(sampling).length > 0 ? JSON.stringify(sampling) : null;
    this.db.prepare(`UPDATE models SET sampling_defaults_json = ? WHERE id = ?`).run(stored, id);
    return this.get(id);
  }

  /** The name shown for a model; null goes back to the one derived from its file. */
  rename(id: string, name: string | null): ModelEntry {
    this.get(id);
    this.db.prepare(`UPDATE models SET display_name = ? WHERE id = ?`).run(name?.trim() || null, id);
    return this.get(id);
  }

  private uniqueId(base: string): string {
    const taken = this.db.prepare<[string], { id: string }>(`SELECT id FROM models WHERE id = ?`);
    for (let n = 1; ; n++) {
      const candidate = n === 1 ? base : `${base}-${n}`;
      if (!taken.get(candidate)) return candidate;
    }
  }
}

/** A local file's summary; a broken one is the user's file to replace, not a download to repeat. */
async function inspectLocal(file: string) {
  try {
    return await inspectGguf(file);
  } catch (error) {
    if (error instanceof HearthError && error.code === "MODEL_INVALID") {
      throw new HearthError("MODEL_INVALID", error.message, {
        suggestion: "Pick a complete .gguf file; if this one was copied or downloaded, it was cut short: copy or fetch it again.",
      });
    }
    throw error;
  }
}

function slugFor(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9._-]+/g, "-")
      .replace(/^-+|-+$/g, "") || "model"
  );
}

function looksLikePath(value: string): boolean {
  return value.includes("/") || value.includes("\\") || value.toLowerCase().endsWith(".gguf");
}

/** `model.gguf`, then `model-2.gguf`, `model-3.gguf`… */
function numbered(target: string, n: number): string {
  if (n === 1) return target;
  const ext = path.extname(target);
  return `${target.slice(0, target.length - ext.length)}-${n}${ext}`;
}

function entryFromRow(row: ModelRow): ModelEntry {
  // The file as the user named it (a copy may have been numbered); `name` holds general.name or, without one, that file's stem.
  const fileName = path.basename(row.source_path ?? row.path);
  const generalName = row.name === path.basename(row.path, ".gguf") || row.name === path.basename(fileName, ".gguf") ? null : row.name;
  return {
    id: row.id,
    name: row.display_name ?? displayNameFor({ generalName, fileName, sourceRepo: row.source_repo, architecture: row.architecture }),
    customName: row.display_name !== null,
    path: row.path,
    fileSize: row.file_size,
    architecture: row.architecture,
    parameterCount: row.parameter_count,
    quantization: row.quantization,
    contextLength: row.context_length,
    hasChatTemplate: row.has_chat_template === 1,
    sourceRepo: row.source_repo,
    storage: row.storage,
    addedAt: row.added_at,
    lastUsedAt: row.last_used_at,
    loadDefaults: row.load_defaults_json ? JSON.parse(row.load_defaults_json) : null,
    samplingDefaults: row.sampling_defaults_json ? samplingSettingsSchema.parse(JSON.parse(row.sampling_defaults_json)) : null,
    missing: !existsSync(row.path),
  };
}
