import tailwindcss from "@tailwindcss/vite";
import react from "@vitejs/plugin-react";
import { defineConfig } from "electron-vite";
import { resolve } from "node:path";

// Main bundles the core; the engine worker is a second entry, started in its own utilityProcess.
// The preload is CommonJS because sandboxed preloads cannot load ES modules.
export default defineConfig({
  main: {
    build: {
      rollupOptions: {
        input: {
          index: resolve("electron/main/index.ts"),
          engineWorker: resolve("electron/core/engine/engineWorker.ts"),
        },
      },
    },
  },
  preload: {
    build: {
      rollupOptions: {
        input: { index: resolve("electron/preload/index.ts") },
        output: { format: "cjs", entryFileNames: "[name].cjs" },
      },
    },
  },
  renderer: {
    root: "renderer",
    plugins: [react(), tailwindcss()],
    build: { rollupOptions: { input: { index: resolve("renderer/index.html") } } },
  },
});
