import { expect, test } from "@playwright/test";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { makeDocumentFixtures } from "../support/documentFixtures";
import { writeRerankerModel } from "../support/tinyModels";
import { projectRoot } from "../support/testModel";
import { hearthForSpec } from "./hearthServer";

const work = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-e2e-rerank-"));
const reranker = path.join(work, "tiny-reranker.gguf");
// Before the server's own setup: the seed below imports these files.
test.beforeAll(async () => {
  await writeRerankerModel(reranker);
  await makeDocumentFixtures(path.join(work, "docs"));
});
test.afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const hearth = hearthForSpec({
  seed: (dataDir) => {
    const cli = (...args: string[]) => {
      const run = spawnSync(process.execPath, [path.join(projectRoot, "bin/hearth.mjs"), "--data-dir", dataDir, ...args], { encoding: "utf8" });
      if (run.status !== 0) throw new Error(`hearth ${args.join(" ")}: ${run.stderr}`);
    };
    cli("models", "import", reranker);
    cli("docs", "create", "Contracts");
    cli("docs", "add", "Contracts", path.join(work, "docs"), "--embed", "stories260k");
  },
});

test("a collection's searches reranked: a model without a ranking head is refused in words, a reranker orders the passages", async ({ page }) => {
  await page.goto(hearth.url);
  await page.getByRole("button", { name: "Docs", exact: true }).click();
  await page.getByRole("navigation", { name: "Collections" }).getByText("Contracts").click();
  const select = page.getByRole("combobox", { name: "Reranker" });
  await expect(select).toHaveValue("");

  await select.selectOption({ label: (await select.locator("option", { hasText: "stories260K" }).textContent())! });
  await expect(page.getByRole("alert")).toContainText("cannot rerank");
  await expect(select).toHaveValue("");

  await select.selectOption({ label: (await select.locator("option", { hasText: "tiny-reranker" }).textContent())! });
  await expect(select).toHaveValue("tiny-reranker");
  await page.getByLabel("Question").fill("When does the lease renew?");
  await page.getByRole("button", { name: "Search" }).click();
  const passages = page.getByTestId("passage");
  await expect(passages.first()).toContainText(/reranked 0\.\d\d/);
  const scores = (await passages.allTextContents()).map((text) => Number(/reranked (0\.\d\d)/.exec(text)?.[1]));
  expect(scores).toEqual([...scores].sort((a, b) => b - a));

  // Kept with the collection.
  await page.reload();
  await page.getByRole("button", { name: "Docs", exact: true }).click();
  await page.getByRole("navigation", { name: "Collections" }).getByText("Contracts").click();
  await expect(page.getByRole("combobox", { name: "Reranker" })).toHaveValue("tiny-reranker");
});
