import { expect, test } from "@playwright/test";
import fs from "node:fs";
import path from "node:path";
import { projectRoot } from "../support/testModel";
import { ChatPage } from "./ChatPage";
import { hearthForSpec } from "./hearthServer";

const hearth = hearthForSpec();

test("chat end to end: load, stream, stats, stop, regenerate, edit and branch, reload, search, delete and undo", async ({ page }) => {
  const chat = new ChatPage(page);
  // The calls the page makes over its socket, by name.
  const calls: string[] = [];
  page.on("websocket", (socket) =>
    socket.on("framesent", ({ payload }) => {
      const call = /"call":"([^"]+)"/.exec(String(payload))?.[1];
      if (call) calls.push(call);
    }),
  );
  await page.goto(hearth.url);
  await chat.loadModel();

  // A streamed reply, with its stats. A message costs one call: the reply, the new conversation
  // and the sidebar's entry all come from its answer and events, with nothing read again.
  calls.length = 0;
  await chat.say("Once upon a time there was a little cat");
  await expect(chat.user(0)).toContainText("little cat");
  const first = await chat.waitForReply(0);
  await expect(first).not.toHaveText("");
  await expect(first.getByTestId("message-stats")).toContainText("tok/s");
  await expect(chat.conversations).toHaveCount(1);
  await expect(chat.conversations.first()).toContainText("little cat");
  expect(calls).toEqual(["chat.send"]);
  fs.mkdirSync(path.join(projectRoot, "tests/e2e/artifacts"), { recursive: true });
  await page.screenshot({ path: path.join(projectRoot, "tests/e2e/artifacts/chat.png") });

  // Stop a long reply.
  await chat.say("Tell me a very long story about a dog and a big red ball in the park");
  await expect(chat.stop).toBeVisible();
  await chat.stop.click();
  const stopped = await chat.waitForReply(1);
  await expect(chat.send).toBeVisible();
  await expect(stopped.getByTestId("message-stats")).toContainText(/stop: (aborted|eos|contextFull)/);

  // Regenerate: a second version of the last reply, with a switcher.
  await stopped.getByRole("button", { name: "Regenerate" }).click();
  await chat.waitForReply(1);
  await expect(chat.assistant(1).getByTestId("branch-position")).toHaveText("2/2");

  // Edit the first message: a new branch; the old one stays reachable.
  await chat.user(0).hover();
  await chat.user(0).getByRole("button", { name: "Edit" }).click();
  await page.getByRole("textbox", { name: "Edit message" }).fill("Once upon a time there was a brave dog");
  await page.getByRole("button", { name: "Save and send" }).click();
  await chat.waitForReply(0);
  await expect(chat.user(0)).toContainText("brave dog");
  await expect(chat.user(0).getByTestId("branch-position")).toHaveText("2/2");
  await expect(chat.messages).toHaveCount(2);
  await chat.user(0).getByRole("button", { name: "Previous branch" }).click();
  await expect(chat.user(0)).toContainText("little cat");
  await expect(chat.messages).toHaveCount(4);

  // Reload: the conversation is still there, intact.
  await page.reload();
  await expect(chat.conversations).toHaveCount(1);
  await chat.conversations.first().getByRole("button").first().click();
  await expect(chat.user(0)).toContainText("little cat");
  await expect(chat.messages).toHaveCount(4);

  // Search over titles and message text.
  await chat.search.fill("brave");
  await expect(chat.conversations).toHaveCount(1);
  // A word the model cannot write (it once wrote "zebrawb", which the prefix search rightly found).
  await chat.search.fill("quokka42");
  await expect(chat.conversations).toHaveCount(0);
  await chat.search.fill("");

  // Delete, then undo.
  await chat.conversations.first().hover();
  await chat.conversations
    .first()
    .getByRole("button", { name: /^Delete/ })
    .click();
  await expect(chat.conversations).toHaveCount(0);
  await page.getByRole("button", { name: "Undo" }).click();
  await expect(chat.conversations).toHaveCount(1);
});

test("settings: app theme and data folder, a conversation's own sampling, and the context meter", async ({ page }) => {
  const chat = new ChatPage(page);
  await page.goto(hearth.url);
  await chat.open("Settings");
  await expect(page.getByTestId("data-dir")).toHaveText(hearth.dataDir);
  await page.getByRole("combobox", { name: "Theme" }).selectOption("dark");
  await expect(page.locator("html")).toHaveAttribute("data-theme", "dark");
  await chat.open("Chat");

  // A bad value is explained beside its field, in words, and kept as typed; "off" loads on the CPU.
  await page.getByRole("button", { name: "Load settings" }).click();
  const popover = page.getByRole("dialog", { name: "Load settings" });
  const layers = popover.getByRole("textbox", { name: "GPU layers" });
  await layers.fill("lots");
  await expect(layers).toHaveAttribute("aria-invalid", "true");
  await expect(layers).toHaveAccessibleDescription("GPU layers must be a whole number from 0 to 10,000, or “auto” or “off”.");
  await expect(popover.getByRole("button", { name: "Load", exact: true })).toBeDisabled();
  await popover.getByRole("textbox", { name: "Context size" }).fill("99999999");
  await expect(popover.getByText("Context size must be a whole number from 64 to 4,194,304.")).toBeVisible();
  await expect(popover.getByRole("textbox", { name: "Context size" })).toHaveValue("99999999");
  await popover.getByRole("textbox", { name: "Context size" }).fill("");
  await layers.fill("off");
  await page.keyboard.press("Escape");
  await expect(popover).toHaveCount(0);
  await chat.loadModel();
  await chat.say("Lily had a kite");
  await chat.waitForReply(0);
  await expect(page.getByTestId("context-meter")).toContainText("/ 2,048");

  await page.getByRole("button", { name: "Chat settings" }).click();
  const panel = page.getByRole("complementary", { name: "Chat settings" });
  await panel.getByRole("textbox", { name: "Max tokens" }).fill("abc");
  await expect(panel.getByText("Max tokens must be a whole number from 1 to 1,000,000.")).toBeVisible();
  await expect(panel.getByRole("button", { name: "Save" })).toBeDisabled();
  await panel.getByRole("textbox", { name: "Max tokens" }).fill("");
  await panel.getByRole("textbox", { name: "Temperature" }).fill("0.2");
  await panel.getByRole("textbox", { name: "System prompt" }).fill("Tell short stories.");
  await panel.getByRole("button", { name: "Save" }).click();
  await expect(panel.getByRole("status")).toHaveText("Saved.");
  await page.reload();
  await chat.conversations.filter({ hasText: "Lily had a kite" }).getByRole("button").first().click();
  await page.getByRole("button", { name: "Chat settings" }).click();
  await expect(panel.getByRole("textbox", { name: "Temperature" })).toHaveValue("0.2");
  await expect(panel.getByRole("textbox", { name: "System prompt" })).toHaveValue("Tell short stories.");
  await expect(page.locator("html")).toHaveAttribute("data-theme", "dark");
  await page.keyboard.press("Escape");
  await expect(panel).toHaveCount(0);
});

test("a browser without the session cookie gets no page and no socket, even on the server's own origin", async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const address = new URL(hearth.url);
  const response = await page.goto(`${address.origin}/`);
  expect(response?.status()).toBe(401);
  await expect(page.getByText("Open the address that hearth serve printed")).toBeVisible();
  const refused = await page.evaluate(
    (host) =>
      new Promise<boolean>((resolve) => {
        const ws = new WebSocket(`ws://${host}/api`);
        ws.onopen = () => resolve(false);
        ws.onerror = () => resolve(true);
      }),
    address.host,
  );
  expect(refused).toBe(true);
  await context.close();
});

test("the Hugging Face token is write-only: the page shows that one is set and its last four characters, never the token", async ({ page }) => {
  const token = "hf_e2eSecretTokenValue1234WXYZ";
  await page.goto(hearth.url);
  await new ChatPage(page).open("Settings");
  const field = page.getByRole("textbox", { name: "Hugging Face token" });
  await field.fill(token);
  await field.press("Enter");
  await expect(page.getByTestId("hf-token-status")).toContainText("Token set (…WXYZ)");
  await expect(field).toHaveValue("");
  await page.reload();
  await new ChatPage(page).open("Settings");
  await expect(page.getByTestId("hf-token-status")).toContainText("(…WXYZ)");
  expect(await page.content()).not.toContain(token.slice(0, 12));
  await page.getByRole("button", { name: "Remove token" }).click();
  await expect(page.getByTestId("hf-token-status")).toHaveCount(0);
});

test("Settings → Engine: the llama.cpp binary in use, and Optimize for this machine offered, or disabled with its reason in one line", async ({ page }) => {
  await page.goto(hearth.url);
  await new ChatPage(page).open("Settings");
  const section = page.getByRole("region", { name: "Engine" });
  await expect(section.getByTestId("engine-binary")).toHaveText("node-llama-cpp's prebuilt binary");
  const optimize = section.getByRole("button", { name: "Optimize for this machine" });
  await expect(optimize).toBeVisible();
  // Where a build is impossible (no CMake, no compiler), the button says why, in words, beside it.
  const problem = section.locator("#engine-build-problem");
  if (await optimize.isDisabled()) {
    await expect(problem).toHaveText(/\S/);
    await expect(optimize).toHaveAttribute("aria-describedby", "engine-build-problem");
  } else {
    await expect(problem).toHaveCount(0);
  }
  // No comparison has run in this data folder.
  await expect(section.getByTestId("engine-build-reason")).toHaveCount(0);
});
