import { expect, test } from "@playwright/test";
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
  await expect(help.getByRole("row")).toHaveCount(7);
  await expect(help.getByRole("button", { name: "Close shortcuts" })).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(help).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Bench" })).toBeFocused();
});
