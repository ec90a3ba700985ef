import { defineConfig } from "@playwright/test";
import fs from "node:fs";

// Debian's Chromium where it exists (CI, this build machine); Playwright's own browser elsewhere.
const debianChromium = "/usr/bin/chromium";
const launchOptions = fs.existsSync(debianChromium)
  ? {
      executablePath: debianChromium,
      args: [
        "--no-sandbox",
        "--headless",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    }
  : {};

export default defineConfig({
  testDir: "tests",
  globalSetup: "./tests/support/globalSetup.ts",
  testMatch: ["e2e/**/*.spec.ts", "electron/**/*.spec.ts"],
  outputDir: "tests/e2e/artifacts/results",
  timeout: 90_000,
  expect: { timeout: 30_000 },
  workers: 1,
  reporter: [["list"]],
  use: { launchOptions, headless: true, screenshot: "only-on-failure", trace: "retain-on-failure" },
});
