import { expect, test } from "@playwright/test";
import fs from "node:fs";
import path from "node:path";
import { startFakeHub, type FakeHub } from "../support/fakeHub";
import { projectRoot, testModelPath } from "../support/testModel";
import { ChatPage } from "./ChatPage";
import { hearthForSpec } from "./hearthServer";

const REPO = "hearth-test/stories260K-GGUF";
let hub: FakeHub;

test.beforeAll(async () => {
  hub = await startFakeHub([
    { id: REPO, files: [{ path: "stories260K.gguf", source: testModelPath }], downloads: 1234 },
    { id: "hearth-test/other-GGUF", files: [{ path: "other.gguf", source: testModelPath }], downloads: 5 },
    { id: "hearth-test/stories-405B-GGUF", files: [{ path: "stories-405B-Q4_K_M.gguf", source: testModelPath }], downloads: 3, likes: 42 },
  ]);
  // Slow enough to watch the bar move.
  hub.faults.throttleBytesPerSecond = 300_000;
});
test.afterAll(async () => {
  await hub.close();
});

// Declared after the hub's hooks, so the server starts with the hub's address.
const hearth = hearthForSpec({ empty: true, env: () => ({ HF_ENDPOINT: hub.url }) });

test("from an empty data dir: search the hub, see the fit verdict, download with progress, load and chat", async ({ page }) => {
  const chat = new ChatPage(page);
  await page.goto(hearth.url);

  // Nothing in the library: the empty state leads to the Models page, where the machine is described.
  await page.getByRole("button", { name: "Find a model" }).click();
  await expect(page.getByTestId("hardware-summary")).toContainText(/Runs on (CPU|CUDA|VULKAN|METAL)/);
  await expect(page.getByRole("region", { name: "Starter models" })).toContainText("Qwen2.5 0.5B Instruct");

  await page.getByRole("textbox", { name: "Search models on the hub" }).fill("stories");
  await page.getByRole("button", { name: "Search", exact: true }).click();
  const result = page.getByTestId("hub-result").filter({ hasText: REPO });
  await expect(result).toContainText("1,234 downloads");
  // Each result says what its name tells of its size, and a first verdict; what will not fit can be hidden.
  const huge = page.getByTestId("hub-result").filter({ hasText: "stories-405B" });
  await expect(huge).toContainText("GB · 1 quant");
  await expect(huge).toContainText("42");
  await expect(huge.getByTestId("fit-verdict")).toHaveText("≈ Will not fit");
  await expect(result).toContainText(/updated \d/);
  await page.getByRole("checkbox", { name: "Hide what will not fit" }).check();
  await expect(huge).toHaveCount(0);
  await expect(result).toBeVisible();
  // A largest size hides what its name says is bigger; the count says how many pass.
  await page.getByRole("checkbox", { name: "Hide what will not fit" }).uncheck();
  await expect(huge).toBeVisible();
  const results = page.getByRole("region", { name: "Search results" });
  await results.getByRole("combobox", { name: "Largest size" }).selectOption({ label: "Under 2 GB" });
  await expect(huge).toHaveCount(0);
  await expect(results.getByRole("status")).toHaveText("1 of 2");
  await results.getByRole("combobox", { name: "Largest size" }).selectOption({ label: "Any size" });
  await expect(huge).toBeVisible();
  await result.click();

  const files = page.getByTestId("repo-files");
  await expect(files.getByTestId("quant-row")).toHaveCount(1);
  await expect(files.getByTestId("fit-verdict")).toHaveText(/CPU only|Full GPU offload/);
  await expect(files).toContainText("Recommended");
  fs.mkdirSync(path.join(projectRoot, "tests/e2e/artifacts"), { recursive: true });
  await page.screenshot({ path: path.join(projectRoot, "tests/e2e/artifacts/models-discover.png") });
  await files.getByRole("button", { name: /^Download/ }).click();

  // The Downloads tab shows the bar moving, then the model enters the library.
  const download = page.getByTestId("download").first();
  await expect(download).toHaveAttribute("data-status", "running");
  const bar = download.getByRole("progressbar");
  await expect.poll(async () => Number(await bar.getAttribute("aria-valuenow"))).toBeGreaterThan(0);
  await expect(download.getByTestId("download-speed")).toContainText("/s");
  // Cancel deletes the partial file: the bar shows nothing kept, and Download again starts over.
  await download.getByRole("button", { name: "Cancel download" }).click();
  await expect(download).toHaveAttribute("data-status", "cancelled");
  await expect(bar).toHaveAttribute("aria-valuenow", "0");
  await expect(download).toContainText("the partial file was deleted");
  await page.reload();
  await chat.open("Models");
  await page.getByRole("tab", { name: /^Downloads/ }).click();
  await expect(bar).toHaveAttribute("aria-valuenow", "0");
  await download.getByRole("button", { name: "Download again" }).click();
  await expect(download).toHaveAttribute("data-status", "running");
  await expect.poll(async () => Number(await bar.getAttribute("aria-valuenow"))).toBeGreaterThan(0);
  // Pause keeps the bytes; Resume goes on from them.
  await download.getByRole("button", { name: "Pause" }).click();
  await expect(download).toHaveAttribute("data-status", "paused");
  await download.getByRole("button", { name: "Resume" }).click();
  await expect(download).toHaveAttribute("data-status", /running|done/);
  await expect.poll(() => hub.served.at(-1)?.range).toMatch(/^bytes=[1-9]\d*-$/);
  await expect(download).toHaveAttribute("data-status", "done", { timeout: 60_000 });
  await expect(bar).toHaveAttribute("aria-valuenow", "100");
  await expect(download.getByRole("button", { name: `Load ${REPO} stories260K` })).toBeVisible();
  await page.screenshot({ path: path.join(projectRoot, "tests/e2e/artifacts/models.png") });

  // The repo's file is now in the library: Load instead of a second download.
  await page.getByRole("tab", { name: "Discover" }).click();
  await page.getByRole("textbox", { name: "Search models on the hub" }).fill("stories");
  await page.getByRole("button", { name: "Search", exact: true }).click();
  await result.click();
  await expect(files.getByTestId("in-library")).toBeVisible();
  await expect(files.getByRole("button", { name: /^Download/ })).toHaveCount(0);
  await expect(files.getByRole("button", { name: "Load stories260K" })).toBeVisible();

  await page.getByRole("tab", { name: /Library/ }).click();
  await expect(page.getByTestId("library-row")).toHaveCount(1);
  await expect(page.getByTestId("library-row")).toContainText(REPO);

  // The network log names every request: search, file list, header, download.
  await chat.open("Settings");
  const log = page.getByRole("table", { name: "Network log" });
  for (const purpose of ["search", "repo files", "model header", "download"]) await expect(log).toContainText(purpose);
  // Filtered to downloads, only the download's requests are left.
  await page.getByRole("combobox", { name: "Purpose" }).selectOption("download");
  await expect(log.getByTestId("network-entry").first()).toContainText("download");
  await expect(log).not.toContainText("model header");
  await page.getByRole("searchbox", { name: "Filter by address" }).fill("no-such-host");
  await expect(log.getByTestId("network-entry")).toHaveCount(0);

  // Load it from the chat view and talk to it.
  await chat.open("Chat");
  await chat.loadModel();
  await chat.say("Once upon a time there was a little cat");
  const reply = await chat.waitForReply(0);
  await expect(reply).not.toHaveText("");
});

test("offline mode: the catalog still shows, search is refused at once and nothing is sent", async ({ page }) => {
  await page.goto(hearth.url);
  const chat = new ChatPage(page);
  await chat.open("Settings");
  // The box follows the saved setting, so it turns when the core has answered.
  const offline = page.getByRole("checkbox", { name: "Offline mode" });
  await offline.click();
  await expect(offline).toBeChecked();

  await chat.open("Models");
  await page.getByRole("tab", { name: "Discover" }).click();
  await expect(page.getByRole("region", { name: "Starter models" })).toContainText("Llama 3.2 1B Instruct");
  const callsBefore = hub.apiCalls.length;
  await page.getByRole("textbox", { name: "Search models on the hub" }).fill("stories");
  await page.getByRole("button", { name: "Search", exact: true }).click();
  await expect(page.getByRole("alert")).toContainText("Offline mode is on");
  expect(hub.apiCalls.length).toBe(callsBefore);

  await chat.open("Settings");
  await offline.click();
  await expect(offline).not.toBeChecked();
});

test("a model whose file is gone is marked missing, and Locate points it at the file's new place", async ({ page }) => {
  const file = path.join(hearth.dataDir, "models", ...REPO.split("/"), "stories260K.gguf");
  const moved = path.join(hearth.dataDir, "moved.gguf");
  fs.renameSync(file, moved);
  await page.goto(hearth.url);
  await page.getByRole("button", { name: "Models" }).click();
  await page.getByRole("tab", { name: /Library/ }).click();
  const row = page.getByTestId("library-row");
  await expect(row.getByTestId("model-missing")).toContainText(file);
  await row.getByRole("button", { name: /^Locate/ }).click();
  await page.getByRole("textbox", { name: "New path of the model file" }).fill(moved);
  await page.getByRole("button", { name: "Use this file" }).click();
  await expect(row.getByTestId("model-missing")).toHaveCount(0);
  await expect(row.getByRole("button", { name: /^Load / })).toBeVisible();
});
