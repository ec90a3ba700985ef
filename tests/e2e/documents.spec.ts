import { expect, test } from "@playwright/test";
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
  await expect(page.getByRole("complementary", { name: "lease.pdf, page 2" }).getByTestId("cited-passage")).toContainText("renews automatically");
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
