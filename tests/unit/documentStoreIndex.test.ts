import os from "node:os";
import path from "node:path";
import fs from "node:fs";
import { seededRandom } from "../support/seededRandom";
import { afterAll, describe, expect, it } from "vitest";
import { DocumentStore } from "../../electron/core/documents/DocumentStore";
import { openDatabase } from "../../electron/core/store/openDatabase";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-index-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("a large collection's vectors searched in memory", () => {
  it("ranks as sqlite-vec's scan does, and follows documents added and removed", () => {
    const db = openDatabase(path.join(dir, "hearth.db"));
    const indexed = new DocumentStore(db, 1);
    const scanned = new DocumentStore(db, Number.POSITIVE_INFINITY);
    const collection = indexed.createCollection("Big");
    indexed.bindEmbeddingModel(collection.id, { id: "m", name: "m" });
    const next = seededRandom(3);
    const vector = () => Float32Array.from({ length: 64 }, () => next() * 2 - 1);
    const add = (name: string, vectors: Float32Array[]) =>
      indexed.saveDocument(collection.id, {
        path: `/docs/${name}`,
        name,
        sha256: name,
        bytes: 1,
        parsed: {
          format: "text",
          pages: [{ page: 1, text: vectors.map((_, i) => `passage ${i}`).join("\n"), blocks: [] }],
          pagesWithoutText: [],
          pagesRead: [],
        },
        chunks: vectors.map((_, i) => ({ page: 1, heading: null, start: 0, end: 9, text: `passage ${i} of ${name}` })),
        vectors,
      });
    const first = Array.from({ length: 300 }, vector);
    add("a.txt", first);
    const near = (store: DocumentStore, v: Float32Array) => store.search(collection.id, "zzz", { queryVector: v, limit: 5 }).map((p) => p.chunkId);
    // The query is a stored passage's own vector: both find it first, and the same five.
    expect(near(indexed, first[42]!)).toEqual(near(scanned, first[42]!));
    const firstHit = indexed.search(collection.id, "zzz", { queryVector: first[42]!, limit: 1 })[0]!;
    expect(firstHit.text).toBe("passage 42 of a.txt");
    // A document added after the index was made is found through it; one removed is not.
    const second = Array.from({ length: 50 }, vector);
    const added = add("b.txt", second);
    expect(indexed.search(collection.id, "zzz", { queryVector: second[7]!, limit: 1 })[0]!.text).toBe("passage 7 of b.txt");
    indexed.removeDocument(added.id);
    expect(indexed.search(collection.id, "zzz", { queryVector: second[7]!, limit: 5 }).some((p) => p.documentName === "b.txt")).toBe(false);
    db.close();
  });
});
