import { expect, test } from "@playwright/test";
import fs from "node:fs";
import { ChatPage } from "./ChatPage";
import { hearthForSpec } from "./hearthServer";

const hearth = hearthForSpec();

const MESSAGE = ["## Lease terms", "", "- rent", "- notice", "", "1. first", "2. second", "", "> quoted clause", "", "line one", "line two"].join("\n");

for (const theme of ["light", "dark"] as const) {
  test(`messages keep their Markdown's structure (${theme} theme): heading size, list markers, quote bar, typed line breaks`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: theme });
    await page.goto(hearth.url);
    const chat = new ChatPage(page);
    await chat.loadModel();
    await chat.say(MESSAGE);
    const message = chat.user(0);
    await expect(message.getByRole("heading", { name: "Lease terms" })).toBeVisible();
    const style = (selector: string, property: string) =>
      message
        .locator(selector)
        .first()
        .evaluate((el, p) => getComputedStyle(el).getPropertyValue(p), property);
    expect(await style("ul", "list-style-type")).toBe("disc");
    expect(await style("ol", "list-style-type")).toBe("decimal");
    expect(Number.parseFloat(await style("ul", "padding-left"))).toBeGreaterThan(10);
    const heading = Number.parseFloat(await style("h2", "font-size"));
    const body = Number.parseFloat(await style("p", "font-size"));
    expect(heading).toBeGreaterThan(body * 1.2);
    expect(Number.parseFloat(await style("blockquote", "border-left-width"))).toBeGreaterThan(0);
    // The body text is the theme's own colour, not the typography layer's grey.
    const [text, fg] = await page.evaluate(() => [
      getComputedStyle(document.querySelector('[data-role="user"] p')!).color,
      getComputedStyle(document.body).getPropertyValue("--fg").trim(),
    ]);
    expect(text).toBe(hexToRgb(fg));
    // A person's line break stays a line break.
    await expect(message.locator("p", { hasText: "line one" }).locator("br")).toHaveCount(1);
    await chat.waitForReply(0);
  });
}

function hexToRgb(hex: string): string {
  const [r, g, b] = [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16));
  return `rgb(${r}, ${g}, ${b})`;
}

test("a conversation's small things: Copy says Copied, export as Markdown and JSON from the sidebar, icon buttons have tooltips, Escape cancels a rename and closes settings", async ({
  page,
  context,
}) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await page.goto(hearth.url);
  const chat = new ChatPage(page);
  await chat.loadModel();
  await chat.say("Export me please");
  await chat.waitForReply(0);

  const copy = chat.user(0).getByRole("button", { name: "Copy" });
  await chat.user(0).hover();
  await copy.click();
  await expect(chat.user(0).getByRole("button", { name: "Copied" })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe("Export me please");

  const item = chat.conversations.filter({ hasText: "Export me please" });
  await item.hover();
  await item.getByRole("button", { name: "Export Export me please" }).click();
  const download = page.waitForEvent("download");
  await item.getByRole("group", { name: "Export Export me please as" }).getByRole("button", { name: "Markdown" }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/\.md$/);
  expect(fs.readFileSync((await file.path())!, "utf8")).toContain("Export me please");
  // And as JSON: the whole conversation, messages with their roles.
  await item.hover();
  await item.getByRole("button", { name: "Export Export me please" }).click();
  const jsonDownload = page.waitForEvent("download");
  await item.getByRole("group", { name: "Export Export me please as" }).getByRole("button", { name: "JSON" }).click();
  const jsonFile = await jsonDownload;
  expect(jsonFile.suggestedFilename()).toMatch(/\.json$/);
  const exported = JSON.parse(fs.readFileSync((await jsonFile.path())!, "utf8")) as { messages: { role: string; content: string }[] };
  expect(exported.messages.map((m) => m.role)).toEqual(["user", "assistant"]);
  expect(exported.messages[0]!.content).toBe("Export me please");

  // An icon-only button names itself to the mouse too (a tooltip), as to a screen reader.
  for (const name of ["Hide the sidebar", "Chat settings"]) {
    const button = page.getByRole("button", { name, exact: true });
    await expect(button).toHaveAttribute("title", name);
  }

  await item.hover();
  await item.getByRole("button", { name: "Rename Export me please" }).click();
  await page.getByLabel("Conversation title").fill("Something else");
  await page.keyboard.press("Escape");
  await expect(page.getByLabel("Conversation title")).toHaveCount(0);
  await expect(item).toContainText("Export me please");

  await page.getByRole("button", { name: "Chat settings" }).click();
  await expect(page.getByRole("complementary", { name: "Chat settings" })).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(page.getByRole("complementary", { name: "Chat settings" })).toHaveCount(0);
});

test("colours meant for the dark theme follow the app's theme, not the operating system's", async ({ page }) => {
  await page.goto(hearth.url);
  await page.getByRole("group", { name: "Pages" }).waitFor();
  // The classes the bench's comparison gives a gain (BenchCompare.tsx), read under each theme the
  // app can be set to, with the operating system saying light and then dark.
  const colour = (theme: "light" | "dark") =>
    page.evaluate((t) => {
      document.documentElement.dataset.theme = t;
      const probe = document.createElement("span");
      probe.className = "text-emerald-700 dark:text-emerald-300";
      document.body.append(probe);
      const value = getComputedStyle(probe).color;
      probe.remove();
      return value;
    }, theme);
  const seen: Record<string, string> = {};
  for (const os of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: os });
    for (const app of ["light", "dark"] as const) seen[`${os}/${app}`] = await colour(app);
  }
  expect(seen["light/dark"]).not.toBe(seen["light/light"]);
  expect(seen["dark/dark"]).toBe(seen["light/dark"]);
  expect(seen["dark/light"]).toBe(seen["light/light"]);
});
