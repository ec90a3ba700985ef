import { defineConfig } from "vitest/config";

// Tests set tokens; they must never reach the user's own keychain (the CLIs they start inherit this).
const NO_KEYCHAIN = { HEARTH_NO_KEYCHAIN: "1" };

// Unit tests run in parallel; tests that run a model run one file at a time, since two
// model-running files on a 2-core machine slow each other down a hundredfold.
export default defineConfig({
  test: {
    projects: [
      {
        test: { name: "unit", include: ["tests/unit/**/*.test.{ts,tsx}"], environment: "node", env: NO_KEYCHAIN },
      },
      {
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.ts"],
          environment: "node",
          env: NO_KEYCHAIN,
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 120_000,
          globalSetup: ["tests/support/globalSetup.ts"],
        },
      },
    ],
  },
});
