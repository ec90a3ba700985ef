import { expect, type Locator, type Page } from "@playwright/test";

/** The chat window as a user sees it, by role and test id. */
export class ChatPage {
  readonly composer: Locator;
  readonly send: Locator;
  readonly stop: Locator;
  readonly messages: Locator;
  readonly engineState: Locator;
  readonly conversations: Locator;
  readonly search: Locator;

  constructor(readonly page: Page) {
    this.composer = page.getByRole("textbox", { name: "Message" });
    this.send = page.getByRole("button", { name: "Send" });
    this.stop = page.getByRole("button", { name: "Stop" });
    this.messages = page.getByTestId("message");
    this.engineState = page.getByTestId("engine-state");
    this.conversations = page.getByTestId("conversation");
    this.search = page.getByRole("searchbox", { name: "Search conversations" });
  }

  /** Loads the picked model from the header's Load settings popover, with `threads` threads. */
  async loadModel(threads = 1): Promise<void> {
    await this.page.getByRole("button", { name: "Load settings" }).click();
    const popover = this.page.getByRole("dialog", { name: "Load settings" });
    await popover.getByRole("textbox", { name: "Threads" }).fill(String(threads));
    await popover.getByRole("button", { name: "Load", exact: true }).click();
    await expect(this.engineState).toContainText("ready");
  }

  /** Opens a page of the app from the sidebar. */
  async open(page: "Chat" | "Models" | "Docs" | "Bench" | "Server" | "Settings"): Promise<void> {
    await this.page.getByRole("group", { name: "Pages" }).getByRole("button", { name: page }).click();
  }

  async say(text: string): Promise<void> {
    await this.composer.fill(text);
    await this.composer.press("Enter");
  }

  assistant(index: number): Locator {
    return this.page.locator('[data-testid="message"][data-role="assistant"]').nth(index);
  }

  user(index: number): Locator {
    return this.page.locator('[data-testid="message"][data-role="user"]').nth(index);
  }

  async waitForReply(index = -1): Promise<Locator> {
    const reply = index < 0 ? this.page.locator('[data-testid="message"][data-role="assistant"]').last() : this.assistant(index);
    await expect(reply).toHaveAttribute("data-status", /complete|interrupted/);
    return reply;
  }
}
