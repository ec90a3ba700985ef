import fs from "node:fs";
import path from "node:path";
import { degrees, PDFDocument, StandardFonts } from "pdf-lib";
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHandlers } from "../../electron/core/api/handlers";
import { createCore, type Core } from "../../electron/core/createCore";
import { parseDocument } from "../../electron/core/documents/parseDocument";
import { pdfPageImage } from "../../electron/core/documents/pdfPageImage";
import type { IngestProgress } from "../../electron/shared/documents";
import { FACTS, makeBrokenFixtures, makeDocumentFixtures } from "../support/documentFixtures";
import { runCli } from "../support/runCli";
import { tempDir } from "../support/tempDir";
import { testModelPath } from "../support/testModel";

const root = tempDir("hearth-documents-");
const docs = path.join(root, "docs");
let core: Core;
let modelId: string;

beforeAll(async () => {
  await makeDocumentFixtures(docs);
  core = createCore({ dataDir: path.join(root, "data"), backend: "cpu", keychain: null });
  modelId = (await core.library.import(testModelPath, "reference")).id;
}, 60_000);

afterAll(async () => {
  await core.close();
});

/** The vectors a collection holds (sqlite-vec's table of it). */
function vectorCount(collectionName: string): number {
  const { rowid } = core.db.prepare<[string], { rowid: number }>(`SELECT rowid FROM collections WHERE name = ?`).get(collectionName)!;
  return core.db.prepare<[], { n: number }>(`SELECT COUNT(*) AS n FROM vec_${rowid}`).get()!.n;
}

describe("document collections", () => {
  it("indexes a folder (all levels down, hidden files left out) and finds each fact's page in the top 3, with exact spans", async () => {
    const collection = core.documents.createCollection("Contracts");
    const progress: IngestProgress[] = [];
    const outcomes = await core.indexer.add(collection.id, [docs], { modelId, onProgress: (p) => progress.push(p) });
    expect(outcomes.map((o) => [path.basename(o.path), o.status])).toEqual([
      ["lease.pdf", "indexed"],
      ["memo.txt", "indexed"],
      ["notes.md", "indexed"],
      ["policy.html", "indexed"],
      ["scanned.pdf", "indexed"],
      ["supply.docx", "indexed"],
    ]);
    const lease = outcomes[0]!.document!;
    expect(lease).toMatchObject({ format: "pdf", pages: 7, pagesWithoutText: [4] });
    expect(progress.at(-1)).toMatchObject({ finished: true, documentsDone: 6, documentsTotal: 6 });
    // The scan's second page has no text layer: its words were read by OCR.
    expect(outcomes.find((o) => o.path.endsWith("scanned.pdf"))!.document).toMatchObject({ pages: 2, pagesRead: [2], pagesWithoutText: [] });
    expect(progress.some((p) => !p.finished && p.chunksDone > 0)).toBe(true);
    expect(core.documents.collection(collection.id)).toMatchObject({ embeddingModelId: modelId, documentCount: 6 });
    const chunks = core.documents.listDocuments(collection.id).reduce((sum, d) => sum + d.chunkCount, 0);
    expect(vectorCount("Contracts")).toBe(chunks);

    let found = 0;
    for (const fact of FACTS) {
      const passages = await core.indexer.search(collection.id, fact.question, { limit: 3 });
      const hit = passages.find((p) => p.documentName === fact.file && p.page === fact.page);
      if (hit) found++;
      for (const passage of passages) {
        // Every citation's span is exactly its text in the stored page.
        expect(core.documents.pageText(passage.documentId, passage.page).slice(passage.start, passage.end)).toBe(passage.text);
      }
      if (hit) expect(hit.text.replace(/\s+/g, " ")).toContain(fact.quote);
    }
    expect(found / FACTS.length).toBeGreaterThanOrEqual(0.9);
    // The web page's navigation and footer are not its text; the Word and Markdown headings are kept.
    const policy = core.documents.listDocuments(collection.id).find((d) => d.name === "policy.html")!;
    expect(core.documents.pageText(policy.id, 1)).not.toMatch(/cookie settings|About us/);
    const backups = await core.indexer.search(collection.id, "backups restored tested quarter", { limit: 1 });
    expect(backups[0]).toMatchObject({ documentName: "notes.md", heading: "Operations > Backups" });
    // Nothing about documents left the machine.
    expect(core.networkLog.list()).toEqual([]);
  }, 120_000);

  it("draws a PDF page with the cited passage marked where it is printed, and refuses a file changed since", async () => {
    const collection = core.documents.resolveCollection("contracts");
    const lease = core.documents.listDocuments(collection.id).find((d) => d.name === "lease.pdf")!;
    const text = core.documents.pageText(lease.id, 2);
    const sentence = "The lease renews automatically on the first of March each year unless it is ended.";
    const start = text.indexOf(sentence);
    const handlers = createHandlers(core);
    const image = await handlers["documents.pageImage"]({ documentId: lease.id, page: 2, start, end: start + sentence.length, width: 595 });
    expect(Buffer.from(image.png, "base64").subarray(1, 4).toString()).toBe("PNG");
    expect([image.width, image.height]).toEqual([595, 842]);
    // The fixture prints the sentence at x 50, baseline 700 (of 842, from the bottom), 11 points high.
    expect(image.marks).toHaveLength(1);
    const [mark] = image.marks;
    expect(mark!.left).toBeCloseTo(50 / 595, 2);
    expect(mark!.top).toBeCloseTo((842 - 700 - 11) / 842, 2);
    expect(mark!.width).toBeGreaterThan(0.5);
    // One word of it: further right, and narrower.
    const word = start + sentence.indexOf("automatically");
    const [wordMark] = (await handlers["documents.pageImage"]({ documentId: lease.id, page: 2, start: word, end: word + 13, width: 595 })).marks;
    expect(wordMark!.left).toBeGreaterThan(mark!.left + 0.05);
    expect(wordMark!.width).toBeLessThan(0.2);
    expect(wordMark!.top).toBeCloseTo(mark!.top, 3);
    // A file that changed is not drawn (a mark would point at the wrong place).
    const copy = path.join(root, "changed.pdf");
    fs.copyFileSync(lease.path, copy);
    const moved = core.documents.listDocuments(collection.id).find((d) => d.name === "scanned.pdf")!;
    expect(moved.format).toBe("pdf");
    await expect(pdfPageImage(copy, moved.sha256, 1, null, 400)).rejects.toThrow(/has changed since it was indexed/);
    await expect(
      handlers["documents.pageImage"]({ documentId: core.documents.listDocuments(collection.id).find((d) => d.name === "memo.txt")!.id, page: 1, width: 400 }),
    ).rejects.toThrow(/not a PDF/);
  }, 60_000);

  it("marks a passage on a page shown turned and cropped where the page shows it", async () => {
    const pdf = await PDFDocument.create();
    const font = await pdf.embedFont(StandardFonts.Helvetica);
    // Printed along the page's top edge; the page is shown turned a quarter clockwise, so the line runs down its right side.
    const page = pdf.addPage([400, 300]);
    page.setRotation(degrees(90));
    page.drawText("The tenant pays the water bill monthly.", { x: 30, y: 250, size: 12, font });
    page.setCropBox(10, 10, 380, 280); // x, y, width, height
    const bytes = await pdf.save();
    const file = path.join(root, "turned.pdf");
    fs.writeFileSync(file, bytes);
    const text = (await parseDocument(file, bytes, { ocr: false })).pages[0]!.text;
    expect(text).toBe("The tenant pays the water bill monthly.");
    const start = text.indexOf("water");
    const image = await pdfPageImage(file, createHash("sha256").update(bytes).digest("hex"), 1, { start, end: start + "water bill".length }, 270);
    expect([image.width, image.height]).toEqual([270, 366]);
    expect(image.marks).toHaveLength(1);
    const [mark] = image.marks;
    // Down the right side: across the page as shown is up the page as printed, so the line's
    // baseline (y 250, 240 points into the crop's 280) lies inside the mark, which is 12 points wide.
    expect(mark!.left).toBeLessThan(240 / 280);
    expect(mark!.left + mark!.width).toBeGreaterThan(240 / 280);
    expect(mark!.width * 280).toBeGreaterThan(10);
    expect(mark!.width * 280).toBeLessThan(16);
    // "water bill" runs ~50 points down the page's 380.
    expect(mark!.height * 380).toBeGreaterThan(40);
    expect(mark!.height * 380).toBeLessThan(60);
    expect(mark!.top).toBeGreaterThan(0.3);
    expect(mark!.top + mark!.height).toBeLessThan(0.7);
  });

  it("reads a long PDF's pages in worker threads and puts them back in order", async () => {
    const pdf = await PDFDocument.create();
    const font = await pdf.embedFont(StandardFonts.Helvetica);
    for (let n = 1; n <= 120; n++) pdf.addPage([300, 300]).drawText(`Page ${n} of the long report`, { x: 20, y: 250, size: 10, font });
    const parsed = await parseDocument(path.join(root, "long.pdf"), await pdf.save(), { ocr: false });
    expect(parsed.pages.map((page) => [page.page, page.text])).toEqual(Array.from({ length: 120 }, (_, i) => [i + 1, `Page ${i + 1} of the long report`]));
    // A broken one fails whole, with its own line, from whichever worker met it.
    await expect(parseDocument(path.join(root, "cut.pdf"), (await pdf.save()).slice(0, 2000), { ocr: false })).rejects.toThrow(
      /cut\.pdf is not a readable PDF/,
    );
  }, 60_000);

  it("skips unchanged files, re-indexes a changed one whole, and gives each broken file its own line", async () => {
    const collection = core.documents.resolveCollection("contracts");
    const memo = path.join(docs, "memo.txt");
    fs.writeFileSync(memo, "Office memo\n\nThe spare key now hangs on the hook behind the door.\n");
    const broken = makeBrokenFixtures(path.join(root, "broken"));
    const outcomes = await core.indexer.add(collection.id, [docs, broken.corrupt, broken.empty, broken.unsupported, broken.missing]);
    const byName = Object.fromEntries(outcomes.map((o) => [path.basename(o.path), o]));
    expect(byName["lease.pdf"]!.status).toBe("unchanged");
    expect(byName["memo.txt"]!.status).toBe("indexed");
    expect(byName["corrupt.pdf"]!.error).toMatchObject({ code: "INVALID_INPUT", message: expect.stringMatching(/corrupt\.pdf is not a readable PDF/) });
    expect(byName["empty.txt"]!.error!.message).toMatch(/empty\.txt is empty/);
    expect(byName["sheet.xyz"]!.error!.message).toMatch(/not \.xyz/);
    expect(byName["missing.pdf"]!.error).toMatchObject({ code: "NOT_FOUND" });
    // The old memo's passages are gone from both indexes: only the new text is found.
    const passages = await core.indexer.search(collection.id, "blue cabinet", { limit: 5 });
    expect(passages.some((p) => p.text.includes("blue cabinet"))).toBe(false);
    expect((await core.indexer.search(collection.id, "hook behind the door", { limit: 1 }))[0]!.documentName).toBe("memo.txt");
    const chunks = core.documents.listDocuments(collection.id).reduce((sum, d) => sum + d.chunkCount, 0);
    expect(vectorCount("Contracts")).toBe(chunks);
  }, 120_000);

  it("keeps the documents a stopped ingestion finished, and does not parse or embed them again", async () => {
    const collection = core.documents.createCollection("Stopped");
    const controller = new AbortController();
    await expect(
      core.indexer.add(collection.id, [docs], {
        modelId,
        signal: controller.signal,
        onProgress: (p) => p.documentsDone >= 2 && controller.abort(new Error("stopped")),
      }),
    ).rejects.toThrow("stopped");
    const kept = core.documents.listDocuments(collection.id);
    expect(kept.length).toBeGreaterThanOrEqual(2);
    expect(kept.length).toBeLessThan(6);
    // The document being embedded when it stopped was a draft: it is gone, not half there.
    const drafts = () => core.db.prepare(`SELECT COUNT(*) AS n FROM documents WHERE draft_pid IS NOT NULL`).get();
    expect(drafts()).toEqual({ n: 0 });
    // What a run killed while reading a file leaves (a draft with some pages), cleared by the next run.
    const killed = core.documents.beginDraft(collection.id, { path: path.join(docs, "memo.txt"), name: "memo.txt", format: "text", sha256: "x", bytes: 1 });
    core.documents.addDraftPages(killed, [
      { page: { page: 1, text: "Half read.", blocks: [] }, chunks: [{ page: 1, heading: null, start: 0, end: 10, text: "Half read." }] },
    ]);
    const again = await core.indexer.add(collection.id, [docs]);
    expect(again.filter((o) => o.status === "unchanged").map((o) => o.document!.id)).toEqual(kept.map((d) => d.id));
    expect(core.documents.listDocuments(collection.id)).toHaveLength(6);
    expect(drafts()).toEqual({ n: 0 });
    expect(await core.indexer.search(collection.id, "half read", { limit: 5 })).not.toContainEqual(expect.objectContaining({ text: "Half read." }));
  }, 120_000);

  it("with OCR off in Settings, says how many pages have no text instead of reading them", async () => {
    core.settings.update({ ocr: false });
    try {
      const collection = core.documents.createCollection("No OCR");
      const [outcome] = await core.indexer.add(collection.id, [path.join(docs, "nested", "scanned.pdf")], { modelId });
      expect(outcome!.document).toMatchObject({ pagesRead: [], pagesWithoutText: [2] });
      const passages = await core.indexer.search(collection.id, "deposit returned thirty days", { limit: 3 });
      expect(passages.every((p) => !/deposit/i.test(p.text))).toBe(true);
    } finally {
      core.settings.update({ ocr: true });
    }
  }, 60_000);

  it("refuses to mix embedding models, removes a document and deletes a collection with its vectors", async () => {
    const copy = path.join(root, "other-model.gguf");
    fs.copyFileSync(testModelPath, copy);
    const other = await core.library.import(copy, "reference");
    const collection = core.documents.resolveCollection("Stopped");
    await expect(core.indexer.add(collection.id, [path.join(docs, "memo.txt")], { modelId: other.id })).rejects.toMatchObject({
      code: "INVALID_INPUT",
      message: expect.stringMatching(/cannot be mixed/),
    });
    const lease = core.documents.listDocuments(collection.id).find((d) => d.name === "lease.pdf")!;
    const before = vectorCount("Stopped");
    core.documents.removeDocument(lease.id);
    expect(vectorCount("Stopped")).toBe(before - lease.chunkCount);
    expect((await core.indexer.search(collection.id, "monthly rent", { limit: 5 })).some((p) => p.documentName === "lease.pdf")).toBe(false);
    const { rowid } = core.db.prepare<[string], { rowid: number }>(`SELECT rowid FROM collections WHERE id = ?`).get(collection.id)!;
    core.documents.deleteCollection(collection.id);
    expect(core.db.prepare(`SELECT name FROM sqlite_master WHERE name = ?`).get(`vec_${rowid}`)).toBeUndefined();
    expect(core.db.prepare(`SELECT COUNT(*) AS n FROM chunks c JOIN documents d ON d.id = c.document_id WHERE d.collection_id = ?`).get(collection.id)).toEqual(
      { n: 0 },
    );
    expect(() => core.documents.createCollection("contracts")).toThrow(/already exists/);
  }, 120_000);
});

describe("hearth docs", () => {
  it("creates, adds with progress on stderr, lists and searches with pages, as a user would", async () => {
    const dataDir = path.join(root, "cli");
    expect((await runCli(["docs", "create", "Lease"], { dataDir })).code).toBe(0);
    const noModel = await runCli(["docs", "add", "Lease", path.join(docs, "lease.pdf")], { dataDir });
    expect(noModel.code).toBe(2);
    expect(noModel.stderr).toMatch(/^hearth: Choose the embedding model for "Lease"/);
    const added = await runCli(["docs", "add", "Lease", path.join(docs, "lease.pdf"), "--embed", testModelPath], { dataDir });
    expect(added.stderr).toMatch(/\[0\/1\]/);
    expect(added.stderr).toMatch(/indexed {2}lease\.pdf: 7 page\(s\), \d+ passage\(s\); 1 page\(s\) have no text \(4\)/);
    expect(added.code).toBe(0);
    const list = await runCli(["docs", "list"], { dataDir });
    expect(list.stdout).toMatch(/Lease\s+1\s+\d+\s+stories260K/);
    const search = await runCli(["docs", "search", "Lease", "When does the lease renew?", "--json", "-k", "3"], { dataDir });
    expect(search.code).toBe(0);
    const passages = JSON.parse(search.stdout) as { documentName: string; page: number; start: number; end: number; text: string }[];
    expect(passages.some((p) => p.documentName === "lease.pdf" && p.page === 2)).toBe(true);
    const asked = await runCli(["docs", "ask", "Lease", "When does the lease renew?", "--model", testModelPath, "--max-tokens", "8", "--json"], { dataDir });
    expect(asked.code).toBe(0);
    const answer = JSON.parse(asked.stdout) as { answer: string; citations: { n: number; documentName: string; page: number }[]; conversationId: string };
    expect(answer.citations[0]).toMatchObject({ n: 1, documentName: "lease.pdf", page: 2 });
    expect((await runCli(["conversations", "list"], { dataDir })).stdout).toContain("When does the lease renew?");
    const missing = await runCli(["docs", "search", "Nope", "anything"], { dataDir });
    expect(missing.stderr).toMatch(/^hearth: No collection named "Nope"/);
    expect((await runCli(["docs", "rm", "Lease"], { dataDir })).code).toBe(0);
    expect((await runCli(["docs", "list"], { dataDir })).stdout).toMatch(/No collections yet/);
  }, 120_000);
});

describe("answers from documents", () => {
  it("answers a conversation's questions from its collections, stores the cited passages with the reply, and says so when nothing matches", async () => {
    const collection = core.documents.createCollection("Answers");
    await core.indexer.add(collection.id, [path.join(docs, "lease.pdf")], { modelId });
    const started = await core.chat.send({
      text: "When does the lease renew?",
      modelId,
      collectionIds: [collection.id],
      sampling: { maxTokens: 8, seed: 1 },
      overflow: "dropOldest",
    });
    expect(started.conversation.collectionIds).toEqual([collection.id]);
    const { message, error } = await core.chat.wait(started.requestId);
    expect(error).toBeNull();
    expect(message.citations!.length).toBeGreaterThan(0);
    expect(message.citations![0]).toMatchObject({ n: 1, documentName: "lease.pdf", page: 2 });
    const cited = message.citations![0]!;
    expect(core.documents.pageText(cited.documentId, cited.page).slice(cited.start, cited.end)).toBe(cited.quote);
    // Kept with the message: read back, and in the export.
    expect(core.conversations.getMessage(message.id).citations).toEqual(message.citations);
    const { exportConversation } = await import("../../electron/core/export/exportConversation");
    const exported = exportConversation(started.conversation, core.conversations.listMessages(started.conversationId), "md").content;
    expect(exported).toMatch(/Sources:\n\n1\. lease\.pdf, page 2: “.*renews automatically/);

    // A question the documents know nothing of: no invented answer, no model call.
    const nothing = await core.chat.send({ conversationId: started.conversationId, text: "zebra xylophone quasar", overflow: "dropOldest" });
    const answer = await core.chat.wait(nothing.requestId);
    expect(answer.message).toMatchObject({ content: expect.stringMatching(/hold nothing about this question/), citations: [], completionTokens: null });
  }, 120_000);
});
