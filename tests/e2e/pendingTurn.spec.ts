import { expect, test } from "@playwright/test";
import { ChatPage } from "./ChatPage";
import { hearthForSpec } from "./hearthServer";

const hearth = hearthForSpec();

test("a message sent while the engine starts shows at once, with where the reply stands, then becomes the conversation", async ({ page }) => {
  await page.goto(hearth.url);
  const chat = new ChatPage(page);
  await expect(chat.engineState).toContainText("no model loaded");
  // No Load first: the message starts the engine and loads the model itself.
  await chat.say("Hello before the model is up");
  const pending = page.getByTestId("pending-turn");
  await expect(pending).toContainText("Hello before the model is up");
  await expect(pending.getByRole("status")).toContainText(/Starting the engine|Loading .*%|Waiting for the reply/);
  // Once the turn starts, the conversation takes its place (the reply streaming; stopped here, a base model writes on).
  await expect(pending).toHaveCount(0, { timeout: 60_000 });
  await expect(chat.user(0)).toContainText("Hello before the model is up");
  await expect(chat.assistant(0)).toBeVisible();
  // Stop, unless the reply ended on its own meanwhile.
  await chat.stop.click({ timeout: 2_000 }).catch(() => undefined);
  await chat.waitForReply(0);
});
