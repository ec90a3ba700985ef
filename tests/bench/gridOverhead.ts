/**
 * A review grid's cost: 10 questions over 20 documents (200 cells) answered by the test model
 * through Hearth's whole path (search, fitting, the engine's grammar-constrained reply, storing,
 * events), with each cell's time split into model time (the question's embedding and the engine's
 * own time for the reply, measured on its side) and the rest, Hearth's overhead. The test model is
 * tiny, so its replies are fast and the overhead's share is as large as it can be; with a real
 * model the same overhead is a far smaller share. Target: overhead under 5% of the total.
 * `BENCH_GRID_DOCS`, `BENCH_GRID_QUESTIONS` adjust it; HEARTH_TEST_MODEL picks the model.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createCore } from "../../electron/core/createCore";
import type { GridColumnInput } from "../../electron/shared/grids";
import { testModelPath } from "../support/testModel";
import { zipfWords } from "./benchSupport";

const DOCUMENTS = Number(process.env.BENCH_GRID_DOCS ?? 20);
const QUESTIONS = Number(process.env.BENCH_GRID_QUESTIONS ?? 10);
const TARGET_SHARE = 0.05;

const COLUMNS: GridColumnInput[] = [
  { label: "Rent", question: "What is the monthly rent?", type: { kind: "number" } },
  { label: "Renews", question: "Does the agreement renew automatically?", type: { kind: "yesNo" } },
  { label: "Court", question: "Which court settles disputes?", type: { kind: "text" } },
  { label: "Notice", question: "How many days of notice end the agreement?", type: { kind: "number" } },
  { label: "Start", question: "On what date does the agreement start?", type: { kind: "date" } },
  { label: "Deposit", question: "How large is the deposit?", type: { kind: "number" } },
  { label: "Pets", question: "Are pets allowed?", type: { kind: "yesNo" } },
  { label: "Repairs", question: "Who repairs water damage?", type: { kind: "choice", options: ["landlord", "tenant", "shared"] } },
  { label: "Insurance", question: "Which insurance must the tenant hold?", type: { kind: "text" } },
  { label: "Parking", question: "Is a parking space included?", type: { kind: "yesNo" } },
];

export async function gridOverhead(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-grid-bench-"));
  const core = createCore({ dataDir: path.join(dir, "data"), backend: "cpu", keychain: null });
  try {
    const { word } = zipfWords(11);
    const docs = path.join(dir, "docs");
    fs.mkdirSync(docs);
    for (let d = 0; d < DOCUMENTS; d++) {
      const filler = () => Array.from({ length: 120 }, word).join(" ");
      const facts = [
        `The monthly rent is ${1000 + d * 25} euros.`,
        `The agreement ${d % 2 ? "renews automatically each year" : "ends after one year"}.`,
        `Disputes are settled by the district court of ${["Utrecht", "Leiden", "Delft"][d % 3]}.`,
        `The tenant gives ${30 + d} days of written notice.`,
      ];
      fs.writeFileSync(path.join(docs, `lease-${String(d).padStart(2, "0")}.md`), facts.map((f) => `## Clause\n\n${filler()} ${f} ${filler()}`).join("\n\n"));
    }
    const model = await core.library.import(testModelPath, "reference");
    const collection = core.documents.createCollection("Grid bench");
    await core.indexer.add(collection.id, [docs], { modelId: model.id });
    const grid = core.gridStore.create(collection.id, "Bench", COLUMNS.slice(0, QUESTIONS), model.id);
    // The model loaded first, as a user's would be: loading is not the grid's cost.
    await core.grids.start(grid.id, { documentIds: [core.documents.listDocuments(collection.id)[0]!.id] }).done;

    const started = performance.now();
    await core.grids.start(grid.id).done;
    const wall = performance.now() - started;
    const cells = core.gridStore.cells(grid.id);
    const total = cells.reduce((sum, c) => sum + (c.totalMs ?? 0), 0);
    const modelTime = cells.reduce((sum, c) => sum + (c.modelMs ?? 0), 0);
    const perCell = cells.map((c) => c.totalMs ?? 0).sort((a, b) => a - b);
    const failed = cells.filter((c) => c.status === "failed").length;
    // Time between cells (choosing the next, events) is overhead too: the wall clock counts it.
    const overhead = wall - modelTime;
    const share = overhead / wall;
    console.log(`\ngridOverhead: ${QUESTIONS} questions x ${DOCUMENTS} documents = ${cells.length} cells, ${path.basename(testModelPath)} on the CPU`);
    console.log(
      `  total ${(wall / 1000).toFixed(1)} s (cells ${(total / 1000).toFixed(1)} s); per cell p50 ${perCell[Math.floor(perCell.length / 2)]!.toFixed(0)} ms, p95 ${perCell[Math.floor(perCell.length * 0.95)]!.toFixed(0)} ms`,
    );
    console.log(
      `  model time ${(modelTime / 1000).toFixed(1)} s (${((modelTime / wall) * 100).toFixed(1)}%), Hearth's overhead ${(overhead / 1000).toFixed(2)} s (${(share * 100).toFixed(1)}%, ${(overhead / cells.length).toFixed(1)} ms a cell)  ${share <= TARGET_SHARE ? "met" : "NOT met"} (target under ${TARGET_SHARE * 100}%)`,
    );
    if (failed) console.log(`  ${failed} cell(s) failed (the test model's reply ran past its budget)`);
  } finally {
    await core.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
