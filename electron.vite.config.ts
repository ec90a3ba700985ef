import tailwindcss from "@tailwindcss/vite";
import react from "@vitejs/plugin-react";
import { defineConfig } from "electron-vite";
import { resolve } from "node:path";
import type { Plugin } from "vite";

/** Packages whose "browser" build needs the DOM; a worker takes their "worker" build instead. */
function workerBuilds(): Plugin {
  const plain: Record<string, string> = {
    "decode-named-character-reference": resolve("node_modules/decode-named-character-reference/index.js"),
    "hast-util-from-html-isomorphic": resolve("node_modules/hast-util-from-html-isomorphic/index.js"),
  };
  return { name: "hearth-worker-builds", enforce: "pre", resolveId: (id) => plain[id] ?? null };
}

// Main bundles the core; the engine worker is a second entry, started in its own utilityProcess
// (or a child process under the CLI), the PDF text reader a worker thread's entry, and the
// `hearth` command another, so it starts without tsx.
// The preload is CommonJS because sandboxed preloads cannot load ES modules.
export default defineConfig({
  main: {
    build: {
      rollupOptions: {
        input: {
          index: resolve("electron/main/index.ts"),
          engineWorker: resolve("electron/core/engine/worker/engineWorker.ts"),
          pdfPagesWorker: resolve("electron/core/documents/parsers/pdfPagesWorker.ts"),
          cli: resolve("electron/cli/main.ts"),
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
    // The Markdown worker has no DOM: resolve packages to their non-DOM builds there.
    worker: { format: "es", plugins: () => [workerBuilds()] },
    build: { rollupOptions: { input: { index: resolve("renderer/index.html") } } },
  },
});
