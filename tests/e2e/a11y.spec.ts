import AxeBuilder from "@axe-core/playwright";
import { expect, type Page, test } from "@playwright/test";
import fs from "node:fs";
import path from "node:path";
import { makeDocumentFixtures } from "../support/documentFixtures";
import { projectRoot } from "../support/testModel";
import { ChatPage } from "./ChatPage";
import { hearthForSpec } from "./hearthServer";

const hearth = hearthForSpec({
  // A collection with documents, so the Docs page is checked as it is used.
  seed: (dataDir) => fs.mkdirSync(path.join(dataDir, "a11y-docs"), { recursive: true }),
});

/** Serious and critical problems axe finds on what is on screen now, as lines a reader can act on. */
async function problems(page: Page): Promise<string[]> {
  // A colour caught mid-transition (a button turning enabled, the theme applied at start) is not the screen's colour.
  await page.evaluate(() =>
    Promise.all(
      document
        .getAnimations()
        .filter((a) => a.effect?.getComputedTiming().endTime !== Number.POSITIVE_INFINITY)
        .map((a) => a.finished.catch(() => undefined)),
    ),
  );
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

const SCREENSHOTS = path.join(projectRoot, "docs/screenshots");

// What differs from run to run (times, speeds, this machine, temporary paths) is left blank.
const VOLATILE = ["time", "message-stats", "library-storage", "data-dir"].map((id) => (id === "time" ? id : `[data-testid="${id}"]`)).join(", ");

/** The README's pictures of the main screens, written when HEARTH_SCREENSHOTS is set. */
async function picture(page: Page, name: string): Promise<void> {
  // Only when asked: pixels differ slightly from run to run, and a test run should leave the tree clean.
  if (!process.env.HEARTH_SCREENSHOTS) return;
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), animations: "disabled", style: `${VOLATILE} { visibility: hidden !important; }` });
}

for (const theme of ["light", "dark"] as const) {
  test(`every page has no serious or critical accessibility problem (${theme} theme)`, async ({ page }) => {
    test.setTimeout(180_000);
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.emulateMedia({ colorScheme: theme });
    await page.goto(hearth.url);
    const chat = new ChatPage(page);

    // Chat, empty and with a conversation; the load popover, the chat settings, the shortcut list.
    expect(await problems(page)).toEqual([]);
    // Replies of a fixed seed and length, so the README's picture changes only when the screen does.
    await chat.open("Settings");
    const defaults = page.getByRole("region", { name: "New chats" });
    await defaults.getByRole("textbox", { name: "Seed" }).fill("42");
    await defaults.getByRole("textbox", { name: "Max tokens" }).fill("60");
    await defaults.getByRole("button", { name: "Save" }).click();
    await expect(defaults.getByRole("status")).toHaveText("Saved.");
    await chat.open("Chat");
    await chat.loadModel();
    await page.getByRole("button", { name: "Load settings" }).click();
    expect(await problems(page)).toEqual([]);
    await page.keyboard.press("Escape");
    await chat.say("Tell me about a **brave** cat:\n\n- a list\n- of things");
    await chat.waitForReply(0);
    expect(await problems(page)).toEqual([]);
    const notice = page.getByRole("note");
    if (await notice.count()) await notice.getByRole("button", { name: "Got it" }).click();
    await picture(page, `chat-${theme}`);
    await page.getByRole("button", { name: "Chat settings" }).click();
    expect(await problems(page)).toEqual([]);
    await page.keyboard.press("Escape");
    await page.getByRole("group", { name: "Pages" }).getByRole("button", { name: "Chat" }).focus();
    await page.keyboard.press("?");
    expect(await problems(page)).toEqual([]);
    await page.keyboard.press("Escape");

    // Models: each tab, and a library row's settings open.
    await chat.open("Models");
    expect(await problems(page)).toEqual([]);
    for (const tab of ["Discover", "Library", "Downloads"]) {
      await page.getByRole("tab", { name: new RegExp(tab) }).click();
      expect(await problems(page)).toEqual([]);
    }
    await page.getByRole("tab", { name: /Library/ }).click();
    await page
      .getByRole("button", { name: /^Settings for/ })
      .first()
      .click();
    expect(await problems(page)).toEqual([]);
    await picture(page, `library-${theme}`);

    // Documents, with a collection of real files indexed.
    await chat.open("Docs");
    if ((await page.getByRole("navigation", { name: "Collections" }).getByText("Contracts").count()) === 0) {
      const folder = path.join(hearth.dataDir, "a11y-docs");
      await makeDocumentFixtures(folder);
      await page.getByLabel("New collection name").fill("Contracts");
      await page.getByRole("button", { name: "Create collection" }).click();
      await page.getByLabel("Paths to add").fill(folder);
      await page.getByRole("button", { name: "Add and index" }).click();
      await expect(page.getByRole("status", { name: "Indexing progress" })).toContainText(/Done/, { timeout: 60_000 });
    }
    expect(await problems(page)).toEqual([]);
    await picture(page, `documents-${theme}`);

    await chat.open("Bench");
    expect(await problems(page)).toEqual([]);
    await picture(page, `bench-${theme}`);

    await chat.open("Server");
    expect(await problems(page)).toEqual([]);
    await picture(page, `server-${theme}`);

    await chat.open("Settings");
    expect(await problems(page)).toEqual([]);
    await picture(page, `settings-${theme}`);
  });
}
