import { expect, test } from "@playwright/test";
import fs from "node:fs";
import path from "node:path";
import { projectRoot } from "../support/testModel";
import { hearthForSpec } from "./hearthServer";

const hearth = hearthForSpec();

test("bench page: run a small bench, watch rows fill in, see the charts, export, compare two runs", async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto(hearth.url);
  await page.getByRole("button", { name: "Bench", exact: true }).click();
  const form = page.getByRole("form", { name: "Bench settings" });
  await form.getByRole("checkbox").first().check();
  await form.getByLabel("Prompt tokens").fill("32");
  await form.getByLabel("Generated tokens").fill("8");
  await form.getByLabel("Depth").fill("0,16");
  await form.getByLabel("Threads").fill("1");
  await form.getByLabel("Repetitions").fill("2");
  // The form is as it was left after a visit to another page.
  await page.getByRole("button", { name: "Chat", exact: true }).click();
  await page.getByRole("button", { name: "Bench", exact: true }).click();
  await expect(form.getByLabel("Depth")).toHaveValue("0,16");
  await expect(form.getByLabel("Repetitions")).toHaveValue("2");
  await expect(form.getByRole("checkbox").first()).toBeChecked();
  await form.getByRole("button", { name: "Run bench" }).click();

  const rows = page.getByTestId("bench-row");
  await expect(rows).toHaveCount(2);
  await expect(page.locator('[data-testid="bench-row"][data-status="ok"]')).toHaveCount(2, { timeout: 60_000 });
  // Figures in the table, bars (with error bars) in both charts, and the machine they came from.
  await expect(rows.first()).toContainText(/\d+\.\d ± \d+\.\d/);
  for (const metric of ["pp", "tg"]) {
    await expect(page.getByTestId(`bench-chart-${metric}`).locator(".recharts-bar-rectangle")).toHaveCount(2);
    await expect(page.getByTestId(`bench-chart-${metric}`).locator(".recharts-errorBar").first()).toBeAttached();
    // The speed axis is labelled from 0 to past the largest bar (it used to drop its end), and every row is named on the other.
    const texts = await page.getByTestId(`bench-chart-${metric}`).locator("svg text").allTextContents();
    const labels = texts.filter((text) => text.endsWith(" t/s"));
    expect(labels[0]).toBe("0 t/s");
    expect(labels.length).toBeGreaterThanOrEqual(2);
    expect(texts.filter((text) => text.startsWith("stories260K"))).toHaveLength(2);
  }
  await expect(page.getByTestId("bench-hardware")).toContainText("cores");
  fs.mkdirSync(path.join(projectRoot, "tests/e2e/artifacts"), { recursive: true });
  await page.screenshot({ path: path.join(projectRoot, "tests/e2e/artifacts/bench.png"), fullPage: true });

  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: "Export CSV" }).click();
  const csv = fs.readFileSync(await (await download).path(), "utf8");
  expect(csv.split("\n")[0]).toMatch(/^model,quantization,pp,tg,depth/);
  expect(csv.trim().split("\n")).toHaveLength(3);

  // A second run, then the two side by side.
  await form.getByLabel("Depth").fill("0");
  await form.getByRole("button", { name: "Run bench" }).click();
  await expect(page.getByTestId("bench-run")).toHaveCount(2);
  await expect(page.locator('[data-testid="bench-row"][data-status="ok"]')).toHaveCount(1, { timeout: 60_000 });
  for (const box of await page.getByTestId("bench-run").getByRole("checkbox").all()) await box.check();
  await page.getByRole("button", { name: "Compare selected" }).click();
  const compare = page.getByRole("region", { name: "Compare runs" });
  await expect(compare.getByTestId("compare-row")).toHaveCount(2);
  // Faster in green with ▲, slower in red with ▼, within 1% as steady: never colour alone.
  await expect(compare.getByTestId("compare-row").first()).toContainText(/(▲ \+|▼ -|≈ -?)\d+\.\d%/);

  // The arena: one prompt, two engines, replies side by side with their speed.
  const arena = page.getByRole("region", { name: "Arena" });
  await arena.getByLabel("Arena prompt").fill("Once upon a time");
  // A value it cannot take is explained in words beside the field, kept as typed, and not sent.
  await arena.getByLabel("Max tokens").fill("abc");
  await expect(arena.getByText(/a whole number from 1 to 8,192/)).toBeVisible();
  await expect(arena.getByLabel("Max tokens")).toHaveValue("abc");
  await expect(arena.getByRole("button", { name: "Send to both" })).toBeDisabled();
  await arena.getByLabel("Max tokens").fill("32");
  await arena.getByRole("button", { name: "Send to both" }).click();
  await expect(arena.locator('[data-testid="arena-side"][data-status="done"]')).toHaveCount(2, { timeout: 60_000 });
  for (const speed of await arena.getByTestId("arena-speed").all()) {
    await expect(speed).toHaveText(/[\d.]+ tok\/s · \d+ tokens · \d+ ms to first token/);
    // Shown whole, wrapped if need be: never cut off.
    expect(
      await speed.evaluate(
        (el) => el.scrollWidth <= el.clientWidth && el.getBoundingClientRect().right <= el.closest("article")!.getBoundingClientRect().right,
      ),
    ).toBe(true);
  }

  // Back to the chat: the page switch keeps the app intact.
  await page.getByRole("button", { name: "Chat", exact: true }).click();
  await expect(page.getByRole("textbox", { name: "Message" })).toBeVisible();
});
