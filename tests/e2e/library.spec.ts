import { expect, test } from "@playwright/test";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { testModelPath } from "../support/testModel";
import { ChatPage } from "./ChatPage";
import { hearthForSpec } from "./hearthServer";

// A home folder with a GGUF in Downloads, where the import field finds it.
const home = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-e2e-home-"));
const found = path.join(home, "Downloads", "tiny-tales.gguf");
fs.mkdirSync(path.dirname(found), { recursive: true });
fs.copyFileSync(testModelPath, found);
test.afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

const hearth = hearthForSpec({ env: () => ({ HOME: home, USERPROFILE: home }) });

test("the library: import a file found in Downloads (twice says so), two models told apart, renamed, and its own reply defaults", async ({ page }) => {
  const chat = new ChatPage(page);
  await page.goto(hearth.url);
  await chat.open("Models");
  await page.getByRole("tab", { name: /Library/ }).click();

  // The header has no import field any more; the Library offers the file it found.
  const importer = page.getByRole("region", { name: "Import a GGUF file" });
  await expect(importer).toContainText("1 GGUF file(s) found");
  await expect(page.locator(`datalist option[value="${found}"]`)).toHaveCount(1);
  const field = importer.getByRole("combobox", { name: "GGUF file path" });
  await field.fill(found);
  await importer.getByRole("button", { name: "Import" }).click();
  await expect(importer.getByRole("status")).toHaveText("Added “tiny-tales” to the library.");
  await expect(page.getByTestId("library-row")).toHaveCount(2);
  await field.fill(found);
  await importer.getByRole("button", { name: "Import" }).click();
  await expect(importer.getByRole("status")).toHaveText("Already in the library as “tiny-tales”: nothing was added.");
  await expect(page.getByTestId("library-row")).toHaveCount(2);

  // Both are llama models; the picker tells them apart by name, quantization and size.
  const options = page.getByRole("combobox", { name: "Model" }).locator("option");
  await expect(options).toHaveCount(2);
  const labels = await options.allTextContents();
  expect(labels.some((l) => l.startsWith("stories260K · "))).toBe(true);
  expect(labels.some((l) => l.startsWith("tiny-tales · "))).toBe(true);
  expect(labels.join()).not.toMatch(/\bllama\b/);

  // Renamed in place; Escape leaves the name as it was.
  const row = page.getByTestId("library-row").filter({ hasText: "tiny-tales" });
  await row.getByRole("button", { name: "Rename tiny-tales" }).click();
  await row.getByRole("textbox", { name: "Model name" }).fill("Something");
  await row.getByRole("textbox", { name: "Model name" }).press("Escape");
  await expect(row.getByRole("textbox", { name: "Model name" })).toHaveCount(0);
  await row.getByRole("button", { name: "Rename tiny-tales" }).click();
  await row.getByRole("textbox", { name: "Model name" }).fill("Bedtime tales");
  await row.getByRole("textbox", { name: "Model name" }).press("Enter");
  await expect(page.getByRole("combobox", { name: "Model" })).toContainText("Bedtime tales · ");

  // A file the user keeps elsewhere is removed from the library, never deleted: the button says which.
  const renamed = page.getByTestId("library-row").filter({ hasText: "Bedtime tales" });
  await expect(renamed.getByRole("button", { name: "Remove Bedtime tales" })).toHaveAttribute("title", /the file stays where it is/);

  // Its own reply defaults: replies stop at 3 tokens unless a conversation says otherwise.
  const stories = page.getByTestId("library-row").filter({ hasText: "stories260K" });
  await stories.getByRole("button", { name: "Settings for stories260K" }).click();
  const replies = page.getByRole("region", { name: "How stories260K replies" });
  await replies.getByRole("textbox", { name: "Max tokens" }).fill("3");
  await replies.getByRole("button", { name: "Save" }).click();
  await expect(replies.getByRole("status")).toHaveText("Saved.");

  await chat.open("Chat");
  await page.getByRole("combobox", { name: "Model" }).selectOption({ label: (await options.allTextContents()).find((l) => l.startsWith("stories260K"))! });
  await page.getByRole("button", { name: "Load", exact: true }).click();
  await expect(chat.engineState).toContainText("ready");
  // Said once: a base model continues text rather than answering.
  await expect(page.getByRole("note")).toContainText("stories260K has no chat template");
  await page.getByRole("note").getByRole("button", { name: "Got it" }).click();
  await expect(page.getByRole("note")).toHaveCount(0);
  await chat.say("Once upon a time");
  const reply = await chat.waitForReply(0);
  await expect(reply.getByTestId("message-stats")).toContainText("3 tokens · stop: maxTokens");
  // Continue writes on in the same message, from where it stopped.
  const before = await reply.locator(".prose").textContent();
  await reply.getByRole("button", { name: "Continue" }).click();
  await expect(reply.getByTestId("message-stats")).toContainText("6 tokens · stop: maxTokens");
  expect((await reply.locator(".prose").textContent())?.startsWith((before ?? "").trim())).toBe(true);
  await expect(chat.messages).toHaveCount(2);

  // A title suggested by the loaded model fills the rename field; Enter keeps it.
  const item = chat.conversations.first();
  await item.hover();
  await item.getByRole("button", { name: /^Rename/ }).click();
  await item.getByRole("button", { name: "Suggest a title" }).click();
  const titleField = item.getByRole("textbox", { name: "Conversation title" });
  await expect(titleField).not.toHaveValue("Once upon a time");
  await expect(titleField).toBeFocused();
  const suggested = await titleField.inputValue();
  expect(suggested.length).toBeGreaterThan(0);
  await titleField.press("Enter");
  await expect(item).toContainText(suggested.slice(0, 10));

  // Eject frees the model; the header says so and offers Load again.
  await page.getByRole("button", { name: "Eject" }).click();
  await expect(chat.engineState).toContainText("no model loaded");
  await expect(page.getByRole("button", { name: "Load", exact: true })).toBeEnabled();
  await page.reload();
  await expect(page.getByRole("note")).toHaveCount(0);
});
