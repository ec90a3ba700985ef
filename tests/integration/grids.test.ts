import fs from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCore, type Core } from "../../electron/core/createCore";
import { exportGrid } from "../../electron/core/export/exportGrid";
import type { GridPacket, GridView } from "../../electron/shared/grids";
import { checkValue, describeSources, displayValue } from "../../electron/shared/gridValues";
import { makeDocumentFixtures } from "../support/documentFixtures";
import { runCli } from "../support/runCli";
import { tempDir } from "../support/tempDir";
import { testModelPath } from "../support/testModel";

const root = tempDir("hearth-grids-");
const docs = path.join(root, "docs");
const dataDir = path.join(root, "data");
let core: Core;
let modelId: string;
let collectionId: string;

const COLUMNS = [
  { label: "Rent", question: "What is the monthly rent?", type: { kind: "number" as const } },
  { label: "Renews", question: "Does the lease renew automatically?", type: { kind: "yesNo" as const } },
  { label: "Court", question: "Which court settles disputes?", type: { kind: "choice" as const, options: ["Utrecht", "Amsterdam", "none"] } },
];

beforeAll(async () => {
  await makeDocumentFixtures(docs);
  core = createCore({ dataDir, backend: "cpu", keychain: null });
  modelId = (await core.library.import(testModelPath, "reference")).id;
  collectionId = core.documents.createCollection("Review").id;
  await core.indexer.add(collectionId, [path.join(docs, "lease.pdf"), path.join(docs, "nested", "supply.docx"), path.join(docs, "memo.txt")], { modelId });
}, 120_000);

afterAll(async () => {
  await core?.close();
});

/** Runs a grid to its end, keeping every packet it sent. */
async function runToEnd(gridId: string, scope: Parameters<Core["grids"]["start"]>[1] = {}): Promise<GridPacket[]> {
  const packets: GridPacket[] = [];
  const stop = core.grids.onUpdate((packet) => packet.gridId === gridId && packets.push(packet));
  await core.grids.start(gridId, scope).done;
  stop();
  return packets;
}

/** Every answered cell's value is of its column's type, and each source is a passage of that cell's own document whose span holds its quote. */
function expectTypedAndCited(view: GridView): void {
  for (const cell of view.cells) {
    const column = view.grid.columns.find((c) => c.id === cell.columnId)!;
    if (cell.status === "failed") {
      expect(cell.error?.code).toBe("MODEL_OUTPUT");
      continue;
    }
    expect(checkValue(column.type, cell.value)).toEqual({ ok: true, value: cell.value });
    if (cell.value !== null && !cell.edited) expect(cell.citations.length).toBeGreaterThan(0);
    for (const citation of cell.citations) {
      expect(citation.documentId).toBe(cell.documentId);
      expect(core.documents.pageText(citation.documentId, citation.page).slice(citation.start, citation.end)).toBe(citation.quote);
    }
  }
}

describe("review grids", () => {
  it("fills a 3x3 grid live with typed, cited cells, and exports the CSV and XLSX it shows", async () => {
    const grid = core.gridStore.create(collectionId, "Lease review", COLUMNS, modelId);
    const packets = await runToEnd(grid.id);
    const view = core.grids.view(grid.id);
    expect(view.rows.map((r) => r.name)).toEqual(["lease.pdf", "memo.txt", "supply.docx"]);
    expect(view.cells).toHaveLength(9);
    expect(view.run).toBeNull();
    // Live: the run announced its 9 cells, moved through them, sent each cell as it was answered, and ended cleanly.
    expect(packets[0]).toMatchObject({ type: "run", run: { total: 9, done: 0 } });
    expect(packets.filter((p) => p.type === "cell")).toHaveLength(9);
    expect(packets.filter((p) => p.type === "progress").map((p) => p.type === "progress" && p.done)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(packets.at(-1)).toEqual({ type: "run", gridId: grid.id, run: null, error: null });
    expectTypedAndCited(view);
    // Most cells are answered (a tiny base model may still run past its token budget now and then).
    expect(view.cells.filter((c) => c.status === "done").length).toBeGreaterThanOrEqual(6);
    for (const cell of view.cells) expect(cell.modelMs).toBeLessThanOrEqual(cell.totalMs!);

    const byKey = new Map(view.cells.map((c) => [`${c.documentId} ${c.columnId}`, c]));
    const expectedValue = (rowId: string, columnId: string, typed: boolean) => {
      const cell = byKey.get(`${rowId} ${columnId}`)!;
      if (cell.status !== "done" || cell.value === null) return "";
      return typed && typeof cell.value === "number" ? cell.value : displayValue(cell.value);
    };
    const expectedSource = (rowId: string, columnId: string) => {
      const cell = byKey.get(`${rowId} ${columnId}`)!;
      if (cell.status === "failed") return `failed: ${cell.error!.message}`;
      return cell.value === null ? "not in the document" : describeSources(cell.citations);
    };
    const header = ["Document", "Rent", "Rent (source)", "Renews", "Renews (source)", "Court", "Court (source)"];

    const csv = await exportGrid(view, "csv");
    expect(csv).toMatchObject({ filename: "Lease-review.csv", encoding: "utf8" });
    const fromCsv = new ExcelJS.Workbook();
    const csvSheet = await fromCsv.csv.read(Readable.from([csv.content]), { parserOptions: { delimiter: "," }, map: (v: string) => v });
    expect(csvSheet.getRow(1).values).toEqual([undefined, ...header]);
    for (const [i, row] of view.rows.entries()) {
      const cells = (csvSheet.getRow(i + 2).values as unknown[]).slice(1);
      const expected = [row.name, ...view.grid.columns.flatMap((c) => [String(expectedValue(row.id, c.id, false)), expectedSource(row.id, c.id)])];
      expect(cells.map((v) => v ?? "")).toEqual(expected);
    }

    const xlsx = await exportGrid(view, "xlsx");
    expect(xlsx).toMatchObject({ filename: "Lease-review.xlsx", encoding: "base64" });
    const fromXlsx = new ExcelJS.Workbook();
    const saved = path.join(root, xlsx.filename);
    fs.writeFileSync(saved, Buffer.from(xlsx.content, "base64"));
    await fromXlsx.xlsx.readFile(saved);
    const sheet = fromXlsx.getWorksheet("Grid")!;
    expect(sheet.getRow(1).values).toEqual([undefined, ...header]);
    for (const [i, row] of view.rows.entries()) {
      const cells = (sheet.getRow(i + 2).values as unknown[]).slice(1);
      const expected = [row.name, ...view.grid.columns.flatMap((c) => [expectedValue(row.id, c.id, true), expectedSource(row.id, c.id)])];
      expect(cells.map((v) => v ?? "")).toEqual(expected);
    }
    // The sources sheet quotes each cited passage with its page.
    const sources = fromXlsx.getWorksheet("Sources")!;
    expect(sources.rowCount - 1).toBe(view.cells.reduce((n, c) => n + c.citations.length, 0));
    // Nothing about documents left the machine.
    expect(core.networkLog.list()).toEqual([]);
  }, 300_000);

  it("keeps a hand edit (checked against its type) through a column re-run; re-running that one cell replaces it", async () => {
    const grid = core.gridStore.list(collectionId).find((g) => g.name === "Lease review")!;
    const rent = grid.columns[0]!;
    const lease = core.grids.view(grid.id).rows.find((r) => r.name === "lease.pdf")!;
    expect(() => core.grids.editCell(grid.id, lease.id, rent.id, "about a thousand")).toThrow(/Rent.*Expected a number/);
    const edited = core.grids.editCell(grid.id, lease.id, rent.id, "1,850");
    expect(edited).toMatchObject({ value: 1850, edited: true, status: "done" });

    const packets = await runToEnd(grid.id, { columnIds: [rent.id] });
    expect(packets[0]).toMatchObject({ type: "run", run: { total: 2 } });
    expect(core.gridStore.cell(grid.id, lease.id, rent.id)).toMatchObject({ value: 1850, edited: true });
    const file = await exportGrid(core.grids.view(grid.id), "csv");
    expect(file.content).toMatch(/lease\.pdf,1850,.*edited by hand/);

    await runToEnd(grid.id, { columnIds: [rent.id], documentIds: [lease.id] });
    expect(core.gridStore.cell(grid.id, lease.id, rent.id)).toMatchObject({ edited: false });
  }, 120_000);

  it("stops when asked, keeping the cells answered so far, and reopens as it was", async () => {
    const grid = core.gridStore.create(collectionId, "Stopped", COLUMNS, modelId);
    const stop = core.grids.onUpdate((packet) => {
      if (packet.gridId === grid.id && packet.type === "cell") core.grids.cancel(grid.id);
    });
    const ended = new Promise<GridPacket>((resolve) => core.grids.onUpdate((p) => p.gridId === grid.id && p.type === "run" && !p.run && resolve(p)));
    core.grids.start(grid.id);
    expect(await ended).toMatchObject({ error: { code: "ABORTED" } });
    stop();
    const cells = core.gridStore.cells(grid.id);
    expect(cells.length).toBeGreaterThanOrEqual(1);
    expect(cells.length).toBeLessThan(9);
    expect(() => core.grids.cancel(grid.id)).toThrow(/not being filled/);

    // Only the rest are answered when it is run again for what is missing.
    const again = await runToEnd(grid.id, { onlyMissing: true });
    expect(again[0]).toMatchObject({ type: "run", run: { total: 9 - cells.filter((c) => c.status === "done").length } });

    // A fresh process over the same data finds the grids as they were.
    const before = core.grids.view(grid.id);
    await core.close();
    core = createCore({ dataDir, backend: "cpu", keychain: null });
    expect(core.grids.view(grid.id)).toEqual(before);
  }, 180_000);

  it("refuses what cannot work with one clear line each", async () => {
    const grid = core.gridStore.list(collectionId)[0]!;
    expect(() => core.grids.start(grid.id, { columnIds: ["nope"] })).toThrow(/no column with id nope/);
    expect(() => core.gridStore.create(collectionId, "Bad", [{ label: "X", question: "Y", type: { kind: "choice", options: ["only"] } }], modelId)).toThrow(
      /at least two choices/,
    );
    const other = core.gridStore.create(collectionId, "No model", COLUMNS, null);
    await core.engine.unload();
    expect(() => core.grids.start(other.id)).toThrow(/Choose the model that answers "No model"/);
  });

  it("hearth docs grid answers columns given on the command line and writes the spreadsheet", async () => {
    await core.close();
    const xlsx = path.join(root, "cli.xlsx");
    const result = await runCli(
      [
        "docs",
        "grid",
        "Review",
        "-m",
        modelId,
        "-c",
        "Rent: What is the monthly rent?:number",
        "-c",
        "Court: Which court settles disputes?",
        "--xlsx",
        xlsx,
        "--json",
      ],
      { dataDir },
    );
    expect(result.stderr).toContain(`Wrote ${xlsx}`);
    expect(result.code).toBe(0);
    const view = JSON.parse(result.stdout) as GridView;
    expect(view.grid.columns.map((c) => [c.label, c.type.kind])).toEqual([
      ["Rent", "number"],
      ["Court", "text"],
    ]);
    expect(view.cells).toHaveLength(6);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(xlsx);
    expect(book.getWorksheet("Grid")!.rowCount).toBe(4);
    // Run again with the same columns: every answer is kept, none asked anew.
    const again = await runCli(
      ["docs", "grid", "Review", "-c", "Rent: What is the monthly rent?:number", "-c", "Court: Which court settles disputes?", "--json"],
      {
        dataDir,
      },
    );
    expect(again.code).toBe(0);
    expect((JSON.parse(again.stdout) as GridView).cells).toEqual(view.cells);
    const bad = await runCli(["docs", "grid", "Review", "-c", "no colon here"], { dataDir });
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/needs a label and a question/);
    core = createCore({ dataDir, backend: "cpu", keychain: null });
  }, 180_000);
});
