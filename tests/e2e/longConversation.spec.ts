import { expect, test } from "@playwright/test";
import { dataPaths } from "../../electron/core/paths";
import { ConversationStore } from "../../electron/core/store/ConversationStore";
import { openDatabase } from "../../electron/core/store/openDatabase";
import { ChatPage } from "./ChatPage";
import { hearthForSpec } from "./hearthServer";

const LONG = 300;
// Long enough to be parsed in the Markdown worker rather than on the page's main thread.
const LISTING = `\`\`\`js\n${Array.from({ length: 120 }, (_, i) => `const value${i} = compute(${i});`).join("\n")}\n\`\`\``;

/** A conversation far longer than one read of the chat view, stored before the server starts. */
function seedLongConversation(dataDir: string): void {
  const db = openDatabase(dataPaths(dataDir).database);
  const store = new ConversationStore(db);
  const { id } = store.createConversation({ title: "Long conversation" });
  let parent: string | null = null;
  db.transaction(() => {
    for (let i = 0; i < LONG; i++) {
      parent = store.addMessage({
        conversationId: id,
        parentId: parent,
        role: i % 2 ? "assistant" : "user",
        content: `Line ${i} of the long conversation.`,
      }).id;
    }
    parent = store.addMessage({ conversationId: id, parentId: parent, role: "user", content: "And a long listing?" }).id;
    store.addMessage({ conversationId: id, parentId: parent, role: "assistant", content: LISTING });
  })();
  db.close();
}

const hearth = hearthForSpec({ seed: seedLongConversation });

test("a long conversation opens at its end and reads older messages as the reader scrolls up", async ({ page }) => {
  const problems: string[] = [];
  page.on("pageerror", (error) => problems.push(error.message));
  page.on("console", (message) => message.type() === "warning" && problems.push(message.text()));
  const chat = new ChatPage(page);
  await page.goto(hearth.url);
  await chat.conversations.filter({ hasText: "Long conversation" }).getByRole("button").first().click();
  // The long listing at the end comes back highlighted from the worker.
  await expect(chat.messages.last().locator(".hljs-keyword").first()).toHaveText("const");
  await expect(page.getByText(`Line ${LONG - 1} of the long conversation.`)).toBeAttached();
  // The first message is far above: not in the page until the reader goes up and it is read.
  await expect(page.getByText("Line 0 of the long conversation.")).toHaveCount(0);
  const list = page.getByTestId("message-list");
  await expect(async () => {
    await list.evaluate((element) => (element.scrollTop = 0));
    await expect(page.getByText("Line 0 of the long conversation.")).toBeVisible({ timeout: 500 });
  }).toPass({ timeout: 15_000 });
  await expect(page.getByTestId("message-placeholder")).toHaveCount(0);
  // And back down to the end, where the conversation continues.
  await list.evaluate((element) => (element.scrollTop = element.scrollHeight));
  await expect(page.getByText("And a long listing?")).toBeVisible();
  expect(problems).toEqual([]);
});
