import { expect, test } from "@playwright/test";
import { ChatPage } from "./ChatPage";
import { hearthForSpec, startHearth } from "./hearthServer";

// "The laptop" has no model of its own; "the box" is a second Hearth serving its library over the API.
const laptop = hearthForSpec({ empty: true });
let box: Awaited<ReturnType<typeof startHearth>>;
test.beforeAll(async () => {
  box = await startHearth({ api: true });
});
test.afterAll(async () => {
  await box?.stop();
});

test("a remote engine: add another Hearth's API in Settings, pick its model, chat, stop, and the reply stays after reload", async ({ page }) => {
  await page.goto(laptop.url);
  const chat = new ChatPage(page);
  await chat.open("Settings");
  const section = page.getByRole("region", { name: "Remote engines" });
  const form = section.getByRole("form", { name: "Add a remote engine" });
  // A wrong address is refused in words, and the form keeps what was typed.
  await form.getByRole("textbox", { name: "Remote engine name" }).fill("box");
  await form.getByRole("textbox", { name: "Remote engine address" }).fill(`${box.apiUrl}/wrong`);
  await form.getByRole("button", { name: "Add" }).click();
  await expect(page.getByRole("alert")).toContainText("HTTP 404");
  await expect(form.getByRole("textbox", { name: "Remote engine name" })).toHaveValue("box");

  await form.getByRole("textbox", { name: "Remote engine address" }).fill(box.apiUrl!);
  await form.getByRole("button", { name: "Add" }).click();
  const listed = section.getByRole("list", { name: "Remote engines" }).getByRole("listitem");
  await expect(listed).toHaveCount(1);
  await expect(listed).toContainText("Models:");
  await expect(form.getByRole("textbox", { name: "Remote engine name" })).toHaveValue("");

  // The picker lists it after this machine's models (none here), marked remote.
  await chat.open("Chat");
  const picker = page.getByRole("combobox", { name: "Model" });
  await expect(picker.locator("optgroup")).toHaveAttribute("label", "Remote · box");
  await page.getByRole("button", { name: "Load", exact: true }).click();
  await expect(chat.engineState).toContainText("ready · remote · box");
  await expect(page.getByRole("button", { name: "Load settings" })).toBeDisabled();

  // Stop ends a long remote reply where it got to (a base model writes on to its 2,048 tokens).
  await chat.say("Once upon a time");
  await expect(chat.assistant(0)).not.toBeEmpty();
  await chat.stop.click();
  await expect(await chat.waitForReply(0)).toHaveAttribute("data-status", "complete");
  await expect(chat.assistant(0).getByTestId("message-stats")).toContainText("stop: aborted");

  // A short reply, whole, with Hearth's own stats.
  await chat.open("Settings");
  const defaults = page.getByRole("region", { name: "New chats" });
  await defaults.getByRole("textbox", { name: "Max tokens" }).fill("24");
  await defaults.getByRole("button", { name: "Save" }).click();
  await expect(defaults.getByRole("status")).toHaveText("Saved.");
  await chat.open("Chat");
  await page.getByRole("button", { name: "New chat" }).click();
  await chat.say("There was a dragon");
  const reply = await chat.waitForReply(0);
  await expect(reply.getByTestId("message-stats")).toContainText(/tok\/s · \d+ ms to first token · 24 tokens · stop: maxTokens · .* · box/);
  const text = (await reply.locator("p").first().textContent()) ?? "";

  await page.reload();
  await expect(chat.assistant(0).locator("p").first()).toHaveText(text);
  // The requests are in the laptop's network log as a remote engine's.
  await chat.open("Settings");
  await expect(page.getByTestId("network-entry").filter({ hasText: "remote engine" }).first()).toBeVisible();

  // The arena takes remote models too: here the box's on both sides (this machine has none).
  await chat.open("Bench");
  const arena = page.getByRole("region", { name: "Arena" });
  for (const side of ["Left model", "Right model"]) await arena.getByRole("combobox", { name: side }).selectOption({ index: 0 });
  await arena.getByLabel("Arena prompt").fill("Once upon a time");
  await arena.getByLabel("Max tokens").fill("16");
  await arena.getByRole("button", { name: "Send to both" }).click();
  await expect(arena.locator('[data-testid="arena-side"][data-status="done"]')).toHaveCount(2, { timeout: 60_000 });
  await expect(arena.getByTestId("arena-side").first()).toContainText("· box");
  for (const speed of await arena.getByTestId("arena-speed").all()) await expect(speed).toHaveText(/[\d.]+ tok\/s · 16 tokens/);
});
