import Database from "better-sqlite3";
import fs from "node:fs";
import path from "node:path";
import { HearthError } from "../../shared/errors";
import { ensurePrivateFile } from "../privateFiles";
import { migrations } from "./migrations";

export type Db = Database.Database;

export interface OpenDatabaseOptions {
  /** better-sqlite3's native addon built for the running runtime (Electron and Node need different builds). */
  nativeBinding?: string;
}

/** Opens (creating if needed) the Hearth database in WAL mode with foreign keys, and migrates it. */
export function openDatabase(file: string, options: OpenDatabaseOptions = {}): Db {
  if (file !== ":memory:") {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    // Made 0600 before SQLite opens it; SQLite gives its -wal and -shm files the same mode.
    ensurePrivateFile(file);
  }
  let db: Db;
  try {
    db = new Database(file, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  } catch (error) {
    throw new HearthError("INTERNAL", `Cannot open the database at ${file}: ${(error as Error).message}`, { cause: error });
  }
  db.pragma("journal_mode = WAL");
  db.pragma("foreign_keys = ON");
  db.pragma("synchronous = NORMAL");
  db.pragma("busy_timeout = 5000");
  migrate(db);
  return db;
}

export function schemaVersion(db: Db): number {
  return db.pragma("user_version", { simple: true }) as number;
}

function migrate(db: Db): void {
  const current = schemaVersion(db);
  if (current > migrations.length) {
    throw new HearthError("INTERNAL", `The database was written by a newer Hearth (schema ${current}, this build knows ${migrations.length}).`, {
      suggestion: "Update Hearth, or point it at another data folder.",
    });
  }
  for (let version = current; version < migrations.length; version++) {
    db.transaction(() => {
      db.exec(migrations[version]!);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}
