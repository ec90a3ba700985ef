import { _electron as electron, expect, test } from "@playwright/test";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import { projectRoot } from "../support/testModel";

/** Electron's binary, found without require("electron") (which would try to download it). */
function electronBinary(): string | null {
  try {
    const dir = path.dirname(createRequire(import.meta.url).resolve("electron/package.json"));
    const binary = path.join(dir, "dist", fs.readFileSync(path.join(dir, "path.txt"), "utf8").trim());
    return fs.existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

const binary = electronBinary();
const why = "No Electron binary here: its installer downloads it from GitHub, which this machine cannot reach.";

/** Skips (saying why) where no binary exists; else starts the app on `userData` and waits for its window. */
async function launch(userData = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-electron-"))) {
  if (!binary) console.log(`skipped: ${why}`);
  test.skip(!binary, why);
  const app = await electron.launch({ executablePath: binary!, args: [projectRoot, `--user-data-dir=${userData}`] });
  const window = await app.firstWindow();
  await expect(window.getByRole("textbox", { name: "Message" })).toBeVisible();
  return { app, window, userData };
}

test("the desktop window opens and lists conversations through IPC", async () => {
  const { app, window } = await launch();
  await expect(window.getByRole("navigation", { name: "Conversations" })).toBeVisible();
  await app.close();
});

test("a second launch on the same data folder hands over to the running window and exits; the page gets no permission", async () => {
  const { app, window, userData } = await launch();
  const second = await electron.launch({ executablePath: binary!, args: [projectRoot, `--user-data-dir=${userData}`] }).catch(() => null);
  if (second) await expect.poll(() => second.windows().length, { timeout: 5_000 }).toBe(0);
  const state = await window.evaluate(() => navigator.permissions.query({ name: "notifications" as PermissionName }).then((p) => p.state));
  expect(state).not.toBe("granted");
  await app.close();
});
