import Database from "better-sqlite3";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DocumentStore } from "../../electron/core/documents/DocumentStore";
import { migrations } from "../../electron/core/store/migrations";
import { openDatabase } from "../../electron/core/store/openDatabase";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-fts-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** FTS5's own check that its index and the passages it indexes agree (throws if not). */
const checkIndex = (db: Database.Database) => db.exec(`INSERT INTO chunks_fts(chunks_fts, rank) VALUES ('integrity-check', 1)`);

describe("the passages' full-text index", () => {
  it("is written by the store itself from migration 16 on, and passages indexed before it stay found and removable", () => {
    const file = path.join(dir, "hearth.db");
    // A database as Hearth left it before migration 16: a passage indexed by the old trigger.
    const old = new Database(file);
    for (const migration of migrations.slice(0, 15)) old.exec(migration);
    old.pragma("user_version = 15");
    old.exec(`
      INSERT INTO collections (id, name, created_at) VALUES ('c', 'Leases', 0);
      INSERT INTO documents (id, collection_id, path, name, format, sha256, bytes, pages, indexed_at) VALUES ('old', 'c', '/docs/old.txt', 'old.txt', 'text', 'x', 1, 1, 0);
      INSERT INTO document_pages (document_id, page, text) VALUES ('old', 1, 'The boiler is serviced every autumn.');
      INSERT INTO chunks (document_id, ordinal, page, start, end, text) VALUES ('old', 0, 1, 0, 36, 'The boiler is serviced every autumn.');
    `);
    old.close();

    const db = openDatabase(file);
    const store = new DocumentStore(db);
    const found = (query: string) => store.search("c", query, { limit: 5 }).map((passage) => passage.text);
    expect(found("boiler")).toEqual(["The boiler is serviced every autumn."]);
    store.saveDocument("c", {
      path: "/docs/new.txt",
      name: "new.txt",
      sha256: "y",
      bytes: 1,
      parsed: { format: "text", pages: [{ page: 1, text: "Rent rises by 2% each January.", blocks: [] }], pagesWithoutText: [], pagesRead: [] },
      chunks: [{ page: 1, heading: null, start: 0, end: 30, text: "Rent rises by 2% each January." }],
      vectors: [new Float32Array(0)],
    });
    // Indexed once (a trigger left in place would index it twice, which the check refuses).
    expect(found("January")).toEqual(["Rent rises by 2% each January."]);
    checkIndex(db);
    store.removeDocument("old");
    expect(found("boiler")).toEqual([]);
    expect(found("January")).toHaveLength(1);
    checkIndex(db);
    db.close();
  });
});
