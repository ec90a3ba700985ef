import { expect, test } from "@playwright/test";
import ExcelJS from "exceljs";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { makeBrokenFixtures, makeDocumentFixtures } from "../support/documentFixtures";
import { projectRoot } from "../support/testModel";
import { ChatPage } from "./ChatPage";
import { hearthForSpec } from "./hearthServer";

const hearth = hearthForSpec();

test("documents: make a collection, add a folder and watch it index, search, open a cited page with the passage marked", async ({ page }) => {
  test.setTimeout(120_000);
  const docs = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-e2e-docs-"));
  await makeDocumentFixtures(docs);
  const broken = makeBrokenFixtures(path.join(docs, "..", `${path.basename(docs)}-broken`));

  await page.goto(hearth.url);
  await page.getByRole("button", { name: "Docs", exact: true }).click();
  await page.getByLabel("New collection name").fill("Contracts");
  await page.getByRole("button", { name: "Create collection" }).click();
  await expect(page.getByRole("heading", { name: "Contracts" })).toBeVisible();

  await page.getByLabel("Paths to add").fill(`${docs}\n${broken.corrupt}`);
  await page.getByRole("button", { name: "Add and index" }).click();
  const status = page.getByRole("status", { name: "Indexing progress" });
  await expect(status).toContainText(/Done: 7 of 7 documents · \d+ pages · \d+ passages/, { timeout: 60_000 });
  await expect(page.getByRole("list", { name: "Files not indexed" })).toContainText("corrupt.pdf is not a readable PDF");
  await expect(page.getByTestId("document-row")).toHaveCount(6);
  await expect(page.getByTestId("document-row").filter({ hasText: "lease.pdf" })).toContainText("1 page has no text (4)");
  await expect(page.getByTestId("document-row").filter({ hasText: "scanned.pdf" })).toContainText("1 scanned page read by OCR.");
  await expect(page.getByLabel("Read scanned pages with OCR")).toBeChecked();
  await expect(page.getByRole("navigation", { name: "Collections" })).toContainText("6 documents");
  fs.mkdirSync(path.join(projectRoot, "tests/e2e/artifacts"), { recursive: true });
  await page.screenshot({ path: path.join(projectRoot, "tests/e2e/artifacts/documents.png") });

  await page.getByLabel("Question").fill("When does the lease renew?");
  await page.getByRole("button", { name: "Search" }).click();
  const passages = page.getByTestId("passage");
  await expect(passages.first()).toBeVisible();
  const cited = passages.filter({ hasText: "lease.pdf, page 2" });
  await expect(cited).toHaveCount(1);
  await cited.click();
  const viewer = page.getByRole("complementary", { name: "lease.pdf, page 2" });
  await expect(viewer).toContainText("page 2 of 7");
  // The page as printed, drawn, with the passage marked on it; and its text with the passage marked.
  await expect(viewer.getByRole("img", { name: "Page 2 of lease.pdf" })).toBeVisible();
  await expect(viewer.getByTestId("page-mark").first()).toBeInViewport();
  await page.screenshot({ path: path.join(projectRoot, "tests/e2e/artifacts/page-viewer.png") });
  await viewer.getByRole("button", { name: "Text" }).click();
  await expect(viewer.getByTestId("cited-passage")).toContainText("renews automatically on the first of March");
  await expect(viewer.getByTestId("cited-passage")).toBeInViewport();
  await page.keyboard.press("Escape");
  await expect(viewer).toHaveCount(0);

  // A chat that answers from the collection: its reply lists the passages it was given, each opening its page.
  await page.getByRole("button", { name: "Chat", exact: true }).click();
  const chat = new ChatPage(page);
  await chat.loadModel();
  await page.getByLabel("Answer from documents").selectOption({ label: "Contracts (6 documents)" });
  await expect(page.getByTestId("attached-collection")).toHaveText("Contracts");
  await chat.say("When does the lease renew?");
  const reply = await chat.waitForReply(0);
  const source = reply.getByRole("list", { name: "Sources" }).getByRole("button", { name: "lease.pdf, page 2" });
  await expect(source).toBeVisible();
  await source.click();
  await expect(page.getByRole("complementary", { name: "lease.pdf, page 2" }).getByTestId("page-mark").first()).toBeVisible();
  await page.keyboard.press("Escape");
  // The conversation keeps its collection.
  await page.reload();
  await page
    .getByRole("button", { name: /When does the lease renew/ })
    .first()
    .click();
  await expect(page.getByTestId("attached-collection")).toHaveText("Contracts");
  await page.getByRole("button", { name: "Docs", exact: true }).click();

  // A document removed is no longer found.
  await page.getByRole("button", { name: "Remove lease.pdf" }).click();
  await expect(page.getByTestId("document-row")).toHaveCount(5);
  await page.getByLabel("Question").fill("When does the lease renew?");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(passages.filter({ hasText: "lease.pdf" })).toHaveCount(0);
  fs.rmSync(docs, { recursive: true, force: true });
});

test("review grid: build a 3x3 grid, watch it fill, open a cell's cited page, edit a cell, export CSV and Excel", async ({ page }) => {
  test.setTimeout(120_000);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-e2e-grid-"));
  await makeDocumentFixtures(path.join(root, "all"));
  const files = [path.join(root, "all", "lease.pdf"), path.join(root, "all", "memo.txt"), path.join(root, "all", "nested", "supply.docx")];

  await page.goto(hearth.url);
  await page.getByRole("button", { name: "Docs", exact: true }).click();
  await page.getByLabel("New collection name").fill("Grid review");
  await page.getByRole("button", { name: "Create collection" }).click();
  await page.getByLabel("Paths to add").fill(files.join("\n"));
  await page.getByRole("button", { name: "Add and index" }).click();
  await expect(page.getByRole("status", { name: "Indexing progress" })).toContainText("Done: 3 of 3 documents", { timeout: 60_000 });

  await page.getByRole("tab", { name: "Review grids" }).click();
  await page.getByRole("button", { name: "New grid" }).click();
  await page.getByLabel("Grid name").fill("Lease terms");
  const columns: [string, string, string][] = [
    ["Rent", "What is the monthly rent?", "number"],
    ["Renews", "Does the lease renew automatically?", "yesNo"],
    ["Court", "Which court settles disputes?", "text"],
  ];
  for (const [i, [label, question, kind]] of columns.entries()) {
    if (i > 0) await page.getByRole("button", { name: "Add column" }).click();
    await page.getByLabel(`Column ${i + 1} label`).fill(label);
    await page.getByLabel(`Column ${i + 1} question`).fill(question);
    await page.getByLabel(`Column ${i + 1} type`).selectOption(kind);
  }
  await page.getByRole("button", { name: "Create grid" }).click();
  const cells = page.getByTestId("grid-cell");
  await expect(cells).toHaveCount(9);
  await expect(page.getByRole("table", { name: "Lease terms" })).toContainText("Yes / no");

  // It fills live: cells wait, then are answered one by one, and the count reaches 9.
  await page.getByRole("button", { name: "Fill grid" }).click();
  await expect(page.getByRole("status", { name: "Grid progress" })).toBeVisible();
  await expect(cells.and(page.locator("[data-state=queued]")).first()).toBeVisible();
  await expect(page.getByText("9 of 9 cells answered")).toBeVisible({ timeout: 60_000 });
  await expect(page.locator("[data-testid=grid-cell][data-state=queued], [data-testid=grid-cell][data-state=running]")).toHaveCount(0);
  await page.screenshot({ path: path.join(projectRoot, "tests/e2e/artifacts/grid.png") });

  // A lease cell answered from a passage opens its page with that passage marked.
  const leaseCell = page
    .getByRole("row", { name: /lease\.pdf/ })
    .getByTestId("grid-cell")
    .and(page.locator("[data-state=done]"))
    .first();
  await leaseCell.click();
  const detail = page.getByRole("region", { name: /^Cell lease\.pdf/ });
  const source = detail.getByRole("list", { name: "Sources" }).getByRole("button").first();
  const label = (await source.textContent()) ?? "";
  const pageNumber = /page (\d+)/.exec(label)?.[1];
  await source.click();
  const viewer = page.getByRole("complementary", { name: `lease.pdf, page ${pageNumber}` });
  await expect(viewer.getByTestId("page-mark").first()).toBeVisible();
  await page.keyboard.press("Escape");

  // A hand edit is checked against the column's type and marked as edited.
  const rent = page
    .getByRole("row", { name: /memo\.txt/ })
    .getByTestId("grid-cell")
    .first();
  await rent.click();
  await page.getByLabel("Value").fill("1,850");
  await page.getByRole("button", { name: "Save edit" }).click();
  await expect(rent).toHaveAccessibleName("memo.txt, Rent: 1850 (edited)");

  const csvDownload = page.waitForEvent("download");
  await page.getByRole("button", { name: "Export as CSV" }).click();
  const csv = fs
    .readFileSync((await (await csvDownload).path())!, "utf8")
    .trim()
    .split("\n");
  expect(csv[0]).toBe("Document,Rent,Rent (source),Renews,Renews (source),Court,Court (source)");
  expect(csv.slice(1).map((line) => line.split(",")[0])).toEqual(["lease.pdf", "memo.txt", "supply.docx"]);
  expect(csv[2]).toMatch(/^memo\.txt,1850,.*edited by hand/);
  const xlsxDownload = page.waitForEvent("download");
  await page.getByRole("button", { name: "Export as XLSX" }).click();
  const xlsx = await xlsxDownload;
  expect(xlsx.suggestedFilename()).toBe("Lease-terms.xlsx");
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile((await xlsx.path())!);
  expect(book.getWorksheet("Grid")!.getRow(3).getCell(2).value).toBe(1850);
  fs.rmSync(root, { recursive: true, force: true });
});
