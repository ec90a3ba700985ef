import { expect, type Page, test } from "@playwright/test";
import { ChatPage } from "./ChatPage";
import { hearthForSpec } from "./hearthServer";

const hearth = hearthForSpec();

test("keyboard: new chat puts the focus in the message box, pages and search have keys, and ? lists them all", async ({ page }) => {
  await page.goto(hearth.url);
  const chat = new ChatPage(page);
  await chat.loadModel();

  // New chat (the button, and its shortcut) leaves the focus where the next message is typed.
  await page.getByRole("button", { name: "New chat" }).click();
  await expect(chat.composer).toBeFocused();
  await page.keyboard.type("Typed without the mouse");
  await page.keyboard.press("Enter");
  await chat.waitForReply(0);

  // Regenerate from the keyboard leaves the focus in the message box, where Escape stops the reply.
  await chat.assistant(0).getByRole("button", { name: "Regenerate" }).focus();
  await page.keyboard.press("Enter");
  await expect(chat.composer).toBeFocused();
  await page.keyboard.press("Escape");
  await chat.waitForReply(0);
  // Editing a message: the box takes the focus, Escape leaves it as it was, Enter sends it as a new branch.
  await chat.user(0).getByRole("button", { name: "Edit" }).focus();
  await page.keyboard.press("Enter");
  const editBox = page.getByRole("textbox", { name: "Edit message" });
  await expect(editBox).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(editBox).toHaveCount(0);
  await chat.user(0).getByRole("button", { name: "Edit" }).focus();
  await page.keyboard.press("Enter");
  await page.keyboard.press("End");
  await page.keyboard.type(", again");
  await page.keyboard.press("Enter");
  await expect(chat.user(0)).toContainText("Typed without the mouse, again");
  await expect(chat.user(0).getByTestId("branch-position")).toHaveText("2/2");
  await expect(chat.composer).toBeFocused();
  await page.keyboard.press("Escape");
  await chat.waitForReply(0);
  await page.keyboard.press("Alt+3");
  await expect(page.getByTestId("documents-page")).toBeVisible();
  await page.keyboard.press("Control+Shift+O");
  await expect(chat.composer).toBeFocused();
  await expect(chat.messages).toHaveCount(0);

  await page.keyboard.press("Control+k");
  await expect(chat.search).toBeFocused();
  await page.keyboard.press("Shift+Escape");
  await expect(chat.composer).toBeFocused();

  // "?" is a character in a text field, and the list of shortcuts elsewhere.
  await page.keyboard.type("?");
  await expect(page.getByRole("dialog", { name: "Keyboard shortcuts" })).toHaveCount(0);
  await chat.composer.fill("");
  await page.getByRole("button", { name: "Bench" }).focus();
  await page.keyboard.press("?");
  const help = page.getByRole("dialog", { name: "Keyboard shortcuts" });
  await expect(help).toBeVisible();
  await expect(help.getByRole("row")).toHaveCount(8);
  await expect(help.getByRole("button", { name: "Close shortcuts" })).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(help).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Bench" })).toBeFocused();
});

test("landmarks and live regions: a skip link, the open conversation marked, messages named by author, the reply's progress announced, and the sidebar folds", async ({
  page,
}) => {
  await page.goto(hearth.url);
  const chat = new ChatPage(page);
  // The first Tab lands on the skip link, which goes straight to the message box.
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Skip to the message box" });
  await expect(skip).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(chat.composer).toBeFocused();
  await expect(page.getByRole("main")).toBeVisible();
  await expect(page.getByRole("heading", { level: 1, name: "New chat" })).toBeAttached();

  await chat.loadModel();
  await chat.say("Named by author");
  await chat.waitForReply(0);
  await expect(page.getByRole("article", { name: "You" })).toContainText("Named by author");
  await expect(page.getByRole("article", { name: /^Assistant \(stories260K\)$/ })).toBeVisible();
  await expect(page.getByTestId("reply-status")).toHaveText("Reply finished.");
  await expect(chat.user(0).locator("time")).toHaveAttribute("datetime", /^\d{4}-\d\d-\d\dT/);
  const current = page.getByRole("button", { name: "Named by author" });
  await expect(current).toHaveAttribute("aria-current", "true");
  await expect(page.getByRole("group", { name: "Pages" }).getByRole("button", { name: "Chat" })).toHaveAttribute("aria-current", "page");

  // Reloaded, the window opens the conversation it showed.
  await page.reload();
  await expect(chat.user(0)).toContainText("Named by author");

  // Ctrl+B folds the sidebar to icons and back; the choice is kept.
  await page.keyboard.press("Control+b");
  await expect(page.getByRole("button", { name: "Show the sidebar" })).toBeVisible();
  await expect(chat.conversations).toHaveCount(0);
  await page.reload();
  await expect(page.getByRole("button", { name: "Show the sidebar" })).toBeVisible();
  await page.getByRole("button", { name: "Show the sidebar" }).click();
  await expect(chat.conversations.filter({ hasText: "Named by author" })).toHaveCount(1);
});

/** Presses Tab (or Shift+Tab) until the focus is on the control named `name`; fails past `max` presses. */
async function tabTo(page: Page, name: RegExp, { backward = false, max = 60 } = {}): Promise<void> {
  for (let presses = 0; presses < max; presses++) {
    await page.keyboard.press(backward ? "Shift+Tab" : "Tab");
    const focused = await page.evaluate(() => {
      // Its name as a screen reader reads it: aria-label, else its label, else its text.
      const el = document.activeElement as HTMLInputElement | null;
      if (!el) return "";
      return (el.getAttribute("aria-label") ?? el.labels?.[0]?.textContent ?? el.textContent ?? "").trim();
    });
    if (name.test(focused)) return;
  }
  throw new Error(`${name} was not reached in ${max} presses of ${backward ? "Shift+Tab" : "Tab"}`);
}

test("the main chat flow with the keyboard alone: load a model, send, stop, regenerate, edit", async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto(hearth.url);
  const chat = new ChatPage(page);
  await page.getByRole("group", { name: "Pages" }).waitFor();

  // Load: the header's Load settings, its Threads field, its Load button.
  await tabTo(page, /^Load settings$/);
  await page.keyboard.press("Enter");
  const popover = page.getByRole("dialog", { name: "Load settings" });
  await expect(popover).toBeVisible();
  await tabTo(page, /^Threads$/, { max: 20 });
  await page.keyboard.type("1");
  await tabTo(page, /^Load$/, { max: 20 });
  await page.keyboard.press("Enter");
  await expect(chat.engineState).toContainText("ready");

  // Send: on from the header to the message box.
  await tabTo(page, /^Message$/);
  await expect(chat.composer).toBeFocused();
  await page.keyboard.type("Once upon a time");
  await page.keyboard.press("Enter");
  // Stop: Escape in the message box while the reply streams.
  await page.keyboard.press("Escape");
  await chat.waitForReply(0);

  // Regenerate: back from the message box to the reply's button.
  await tabTo(page, /^Regenerate$/, { backward: true });
  await page.keyboard.press("Enter");
  await expect(chat.composer).toBeFocused();
  await page.keyboard.press("Escape");
  await chat.waitForReply(0);
  await expect(chat.assistant(0).getByTestId("branch-position")).toHaveText("2/2");

  // Edit the question and send it again, as a new branch.
  await tabTo(page, /^Edit$/, { backward: true });
  await page.keyboard.press("Enter");
  await expect(page.getByRole("textbox", { name: "Edit message" })).toBeFocused();
  await page.keyboard.press("End");
  await page.keyboard.type(" there was");
  await page.keyboard.press("Enter");
  await expect(chat.user(0)).toContainText("Once upon a time there was");
  await expect(chat.composer).toBeFocused();
  await page.keyboard.press("Escape");
  await chat.waitForReply(0);
});

test("at 800x600: the sidebar starts folded, the header is one short row that does not jump as the model loads, and a long reply is not cut", async ({
  page,
}) => {
  await page.setViewportSize({ width: 800, height: 600 });
  await page.goto(hearth.url);
  const chat = new ChatPage(page);
  await expect(page.getByRole("button", { name: "Show the sidebar" })).toBeVisible();
  const header = page.locator("main header").first();
  const before = await header.boundingBox();
  expect(before!.height).toBeLessThan(64);
  await chat.loadModel();
  const after = await header.boundingBox();
  expect(after!.height).toBe(before!.height);
  await chat.say("Once upon a time");
  await page.keyboard.press("Escape");
  const reply = await chat.waitForReply(0);
  // The reply fits the window's width: no text runs out of view.
  const box = await reply.boundingBox();
  expect(box!.x + box!.width).toBeLessThanOrEqual(800);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(800);
});
