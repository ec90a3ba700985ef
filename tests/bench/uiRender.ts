/**
 * The chat view under load, in Chromium against browser mode: open a 2,000-message conversation,
 * then stream a 5,000-token reply into it from the real engine (a synthetic tiny model, fast).
 * Prints the time to open the conversation (from the click to the first frame that shows its last
 * message, measured in the page) and the longest main-thread task (targets: open
 * under 150 ms, no task over 50 ms).
 */
import { chromium, type Page } from "@playwright/test";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createCore } from "../../electron/core/createCore";
import { loadLibraryModel } from "../../electron/core/engine/loadLibraryModel";
import { startBrowserServer } from "../../electron/core/server/BrowserServer";
import { projectRoot } from "../support/testModel";
import { median, syntheticModel } from "./benchSupport";

const MESSAGES = 2000;
const TOKENS = 5000;
const OPENS = 5;

const sample = (i: number) =>
  i % 2 === 0
    ? `Question ${i}: how would you explain this in a few lines?`
    : `Answer ${i}. Here is **some** Markdown with a list:\n\n- one\n- two\n\n\`\`\`js\nconsole.log(${i});\n\`\`\`\n\nAnd a closing sentence that wraps onto a second line in a normal window width.`;

// Long tasks are what the browser reports: 50 ms or more. None means none that long.
// Run inside the page, as a string: tsx's helpers do not exist there. Time from the click's
// pointerdown to the first frame whose message list shows `text`.
const OPEN_PROBE = `(text) => {
  window.__opened = new Promise((resolve) => {
    let clickedAt = 0;
    addEventListener("pointerdown", (event) => { clickedAt = event.timeStamp; }, { capture: true, once: true });
    const poll = () => {
      const list = document.querySelector('[data-testid="message-list"]');
      if (clickedAt && list && list.textContent.includes(text)) resolve(performance.now() - clickedAt);
      else requestAnimationFrame(poll);
    };
    requestAnimationFrame(poll);
  });
}`;

async function longestTaskDuring(page: Page, work: () => Promise<void>): Promise<number> {
  await page.evaluate(() => {
    const w = window as unknown as { __longest: number; __observer?: PerformanceObserver };
    w.__longest = 0;
    w.__observer?.disconnect();
    w.__observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) w.__longest = Math.max(w.__longest, entry.duration);
    });
    w.__observer.observe({ type: "longtask", buffered: false });
  });
  await work();
  return page.evaluate(() => (window as unknown as { __longest: number }).__longest);
}

export async function uiRender(): Promise<void> {
  const rendererDir = path.join(projectRoot, "out/renderer");
  if (!fs.existsSync(path.join(rendererDir, "index.html"))) throw new Error("Run `npm run build` first.");
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-ui-bench-"));
  const core = createCore({ dataDir, backend: "cpu" });
  const browser = await chromium.launch(
    fs.existsSync("/usr/bin/chromium")
      ? {
          executablePath: "/usr/bin/chromium",
          args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        }
      : {},
  );
  const server = await startBrowserServer({ core, rendererDir, port: 0 });
  try {
    const model = await core.library.import(await syntheticModel("tiny", "q8_0", ["--ctx", "8192"]), "reference");
    const conversation = core.conversations.createConversation({ title: "Long conversation", modelId: model.id });
    let parent: string | null = null;
    core.db.transaction(() => {
      for (let i = 0; i < MESSAGES; i++) {
        parent = core.conversations.addMessage({
          conversationId: conversation.id,
          parentId: parent,
          role: i % 2 === 0 ? "user" : "assistant",
          content: sample(i),
        }).id;
      }
    })();
    const short = core.conversations.createConversation({ title: "Short conversation" });
    core.conversations.addMessage({ conversationId: short.id, parentId: null, role: "user", content: "A short one." });
    core.db.prepare("UPDATE conversations SET updated_at = updated_at - 1000 WHERE id = ?").run(short.id);
    await loadLibraryModel(core.engine, core.library, model.id, { threads: 1, contextSize: 8192 });

    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(server.url);
    await page.getByTestId("conversation").first().waitFor();
    // A person clicks a moment after the window appears, not in its first frame: let start-up settle.
    await page.evaluate("new Promise((resolve) => requestIdleCallback(() => setTimeout(resolve, 500)))");

    // The first open is the one that counts (nothing cached, code not yet optimized); a few more
    // after visiting another conversation show what coming back costs.
    const long = page.getByTestId("conversation").filter({ hasText: "Long conversation" }).getByRole("button").first();
    const other = page.getByTestId("conversation").filter({ hasText: "Short conversation" }).getByRole("button").first();
    const opens: number[] = [];
    const openTask = await longestTaskDuring(page, async () => {
      for (let i = 0; i < OPENS; i++) {
        if (i > 0) {
          await other.click();
          await page.getByText("A short one.").waitFor();
        }
        await page.evaluate(`(${OPEN_PROBE})(${JSON.stringify(`Answer ${MESSAGES - 1}.`)})`);
        await long.click();
        opens.push((await page.evaluate("window.__opened")) as number);
      }
    });
    const openMs = opens[0]!;

    let tokens = 0;
    let seconds = 0;
    // The reply streams into a fresh conversation (the long one would leave no room in the context).
    await page.getByRole("button", { name: "New chat" }).click();
    // A fixed seed: this model's random weights end some replies early; this one runs the full length.
    await core.settings.update({ sampling: { maxTokens: TOKENS, seed: 42 } });
    const streamTask = await longestTaskDuring(page, async () => {
      await page.getByRole("textbox", { name: "Message" }).fill("Go on.");
      await page.getByRole("textbox", { name: "Message" }).press("Enter");
      const reply = page.locator('[data-testid="message"][data-role="assistant"]').last();
      await page.getByRole("button", { name: "Stop" }).waitFor();
      await reply.locator(":scope[data-status='complete']").waitFor({ timeout: 300_000 });
      const stats = (await reply.getByTestId("message-stats").textContent()) ?? "";
      tokens = Number(stats.match(/(\d+) tokens/)?.[1] ?? 0);
      const tps = Number(stats.match(/([\d.]+) tok\/s/)?.[1] ?? 0);
      seconds = tps > 0 ? tokens / tps : 0;
    });

    const longest = (ms: number) => (ms === 0 ? "none over 50 ms" : `${ms.toFixed(0)} ms`);
    console.log(`\nChat view in Chromium: ${MESSAGES} messages, then a streamed reply`);
    console.log(
      `  open the conversation   first ${openMs.toFixed(0)} ms (target < 150 ms: ${openMs < 150 ? "met" : "MISSED"}); again ${opens
        .slice(1)
        .map((ms) => ms.toFixed(0))
        .join(", ")} ms, median ${median(opens.slice(1)).toFixed(0)} ms`,
    );
    console.log(`    longest task while opening: ${longest(openTask)} (target ≤ 50 ms: ${openTask <= 50 ? "met" : "MISSED"})`);
    console.log(
      `  stream ${tokens} tokens (${seconds > 0 ? (tokens / seconds).toFixed(0) : "?"} tok/s): longest task ${longest(streamTask)} (target ≤ 50 ms: ${streamTask <= 50 ? "met" : "MISSED"})`,
    );
  } finally {
    await browser.close();
    await server.close();
    await core.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
