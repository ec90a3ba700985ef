/**
 * The layers of the architecture (README: Architecture), enforced on every `npm test`: each rule
 * names what a folder may not import. Type-only imports count too.
 */
const electronPackage = "^node_modules/electron/";

module.exports = {
  forbidden: [
    {
      name: "shared-stands-alone",
      comment: "shared is imported by the renderer: no Node built-ins, Electron, core, main, preload or cli",
      severity: "error",
      from: { path: "^electron/shared" },
      to: { path: ["^electron/(core|main|preload|cli)/", "^renderer/", electronPackage] },
    },
    {
      name: "shared-no-node",
      severity: "error",
      from: { path: "^electron/shared" },
      to: { dependencyTypes: ["core"] },
    },
    {
      name: "renderer-sees-only-the-contract",
      comment: "the renderer reaches the core only through the contract (electron/shared)",
      severity: "error",
      from: { path: "^renderer/src" },
      to: { path: ["^electron/(core|main|preload|cli)/", electronPackage] },
    },
    {
      name: "renderer-no-node",
      severity: "error",
      from: { path: "^renderer/src" },
      to: { dependencyTypes: ["core"] },
    },
    {
      name: "core-runs-under-plain-node",
      comment: "core runs under the CLI, browser mode and the tests: no Electron, no main, preload, cli or renderer",
      severity: "error",
      from: { path: "^electron/core" },
      to: { path: ["^electron/(main|preload|cli)/", "^renderer/", electronPackage] },
    },
    {
      name: "cli-runs-without-electron",
      severity: "error",
      from: { path: "^electron/cli" },
      to: { path: ["^electron/(main|preload)/", "^renderer/", electronPackage] },
    },
    {
      name: "engine-worker-stands-apart",
      comment: "the engine process loads only its own folder, the protocol and shared code",
      severity: "error",
      from: { path: "^electron/core/engine/worker/" },
      to: { path: "^(electron|renderer)/", pathNot: ["^electron/core/engine/worker/", "^electron/core/engine/protocol\\.ts$", "^electron/shared/"] },
    },
    {
      name: "no-cycles",
      severity: "error",
      from: { path: "^(electron|renderer/src)/" },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default", "types"] },
  },
};
