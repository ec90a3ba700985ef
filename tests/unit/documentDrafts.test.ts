import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { chunkPage } from "../../electron/core/documents/chunkText";
import { DocumentStore } from "../../electron/core/documents/DocumentStore";
import { pageFromBlocks } from "../../electron/core/documents/parsedDocument";
import { openDatabase } from "../../electron/core/store/openDatabase";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-drafts-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const page = (number: number, text: string) => pageFromBlocks(number, [{ text, heading: null }]);
const withChunks = (number: number, text: string) => {
  const p = page(number, text);
  return { page: p, chunks: chunkPage(p) };
};
const file = (sha256: string) => ({ path: "/leases/unit-4.pdf", name: "unit-4.pdf", format: "pdf" as const, sha256, bytes: 10 });

describe("a document written while it is read (a draft)", () => {
  const db = openDatabase(path.join(dir, "hearth.db"));
  const store = new DocumentStore(db);
  const leases = store.createCollection("Leases");
  const found = (query: string) => store.search(leases.id, query, { limit: 5 }).map((p) => `${p.page}: ${p.text}`);
  const checkIndex = () => db.exec(`INSERT INTO chunks_fts(chunks_fts, rank) VALUES ('integrity-check', 1)`);

  it("stays out of lists, counts and searches until finished, while the earlier version keeps answering", () => {
    const first = store.beginDraft(leases.id, file("v1"));
    const v1 = store.addDraftPages(first, [withChunks(1, "The boiler is serviced every autumn.")]);
    store.finishDraft(first, { pages: [page(1, "")], pagesWithoutText: [], pagesRead: [] }, v1, [new Float32Array(0)]);
    expect(found("boiler")).toEqual(["1: The boiler is serviced every autumn."]);

    // The file changed: its new text is written page by page, in no set order.
    const draft = store.beginDraft(leases.id, file("v2"));
    const later = store.addDraftPages(draft, [withChunks(2, "Rent rises by 2% each January.")]);
    const earlier = store.addDraftPages(draft, [withChunks(1, "The boiler is replaced in 2031.")]);
    expect(store.listDocuments(leases.id).map((d) => d.sha256)).toEqual(["v1"]);
    expect(store.collection(leases.id)).toMatchObject({ documentCount: 1, chunkCount: 1 });
    expect(store.documentAt(leases.id, "/leases/unit-4.pdf")?.sha256).toBe("v1");
    expect(found("January")).toEqual([]);
    expect(found("boiler")).toEqual(["1: The boiler is serviced every autumn."]);
    // Not even when a search is narrowed to it by id, and it is no document to look up.
    expect(store.search(leases.id, "January", { limit: 5, documentIds: [draft] })).toEqual([]);
    expect(store.hasDocument(draft)).toBe(false);

    const passages = [...earlier, ...later];
    const done = store.finishDraft(
      draft,
      { pages: [page(1, ""), page(2, "")], pagesWithoutText: [], pagesRead: [] },
      passages,
      passages.map(() => new Float32Array(0)),
    );
    expect(done).toMatchObject({ path: "/leases/unit-4.pdf", sha256: "v2", pages: 2, chunkCount: 2 });
    expect(store.listDocuments(leases.id).map((d) => d.id)).toEqual([done.id]);
    expect(found("January")).toEqual(["2: Rent rises by 2% each January."]);
    expect(found("boiler")).toEqual(["1: The boiler is replaced in 2031."]);
    expect(store.pageText(done.id, 2)).toBe("Rent rises by 2% each January.");
    checkIndex();
  });

  it("replaces a page given again (a scan read by OCR after the rest) with its new text and passages", () => {
    const draft = store.beginDraft(leases.id, { ...file("v3"), path: "/leases/scan.pdf", name: "scan.pdf" });
    store.addDraftPages(draft, [withChunks(1, "Pets are allowed with consent.")]);
    const read = store.addDraftPages(draft, [withChunks(1, "Pets are not allowed.")]);
    const done = store.finishDraft(draft, { pages: [page(1, "")], pagesWithoutText: [], pagesRead: [1] }, read, [new Float32Array(0)]);
    expect(store.pageText(done.id, 1)).toBe("Pets are not allowed.");
    expect(found("consent")).toEqual([]);
    expect(found("pets")).toEqual(["1: Pets are not allowed."]);
    checkIndex();
  });

  it("is discarded whole, its full-text entries too, and a finished document is never taken for one", () => {
    const draft = store.beginDraft(leases.id, { ...file("v4"), path: "/leases/killed.pdf", name: "killed.pdf" });
    store.addDraftPages(draft, [withChunks(1, "The garden is shared with unit 5.")]);
    const count = () => db.prepare(`SELECT COUNT(*) AS n FROM chunks`).get() as { n: number };
    const before = count().n;
    // What a run killed midway leaves; the next ingestion of the collection clears it.
    store.discardDrafts(leases.id);
    expect(count().n).toBe(before - 1);
    expect(db.prepare(`SELECT COUNT(*) AS n FROM documents WHERE draft_pid IS NOT NULL`).get()).toEqual({ n: 0 });
    checkIndex();

    // Drafts another live process is writing (the app and the CLI share the database) are its own.
    const ofWriter = (pid: number) => {
      const id = store.beginDraft(leases.id, { ...file("v5"), path: `/leases/${pid}.pdf` });
      db.prepare(`UPDATE documents SET draft_pid = ? WHERE id = ?`).run(pid, id);
      return id;
    };
    const gone = spawnSync(process.execPath, ["-e", ""]).pid;
    const live = ofWriter(process.ppid);
    ofWriter(gone);
    store.beginDraft(leases.id, { ...file("v6"), path: "/leases/mine.pdf" });
    store.discardDrafts(leases.id);
    expect(db.prepare(`SELECT id FROM documents WHERE draft_pid IS NOT NULL`).all()).toEqual([{ id: live }]);
    store.discardDraft(live);

    const finished = store.listDocuments(leases.id);
    store.discardDraft(finished[0]!.id);
    expect(store.listDocuments(leases.id)).toEqual(finished);
    expect(() => store.finishDraft(finished[0]!.id, { pages: [], pagesWithoutText: [], pagesRead: [] }, [], [])).toThrow(/No draft document/);
  });
});
