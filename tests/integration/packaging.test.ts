/**
 * The installer's recipe against the build: every path electron-builder.yml names exists after
 * `npm run build` (npm test builds first), so `npm run dist` packages what the app loads. The
 * packaging itself needs Electron's binary, which this machine cannot download.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { electronSqlitePath } from "../../scripts/electronSqlite.mjs";
import { projectRoot } from "../support/testModel";

interface BuilderConfig {
  files: string[];
  asarUnpack: string[];
  extraResources: { from: string; to: string }[];
  mac: { target: string[] };
  linux: { target: string[] };
  win: { target: string[] };
}

const config = parse(fs.readFileSync(path.join(projectRoot, "electron-builder.yml"), "utf8")) as BuilderConfig;
const packageJson = JSON.parse(fs.readFileSync(path.join(projectRoot, "package.json"), "utf8"));
/** Made by `npm run dist` (better-sqlite3 for Electron, fetched), not by the build. */
const FETCHED_AT_DIST = "resources/native/**";

/** Whether a pattern of the config matches something: `dir/**` a non-empty folder (`dir*` any folder so named), else a file. */
function matches(pattern: string): boolean {
  const prefixed = /^(.*)\/([^/*]+)\*\/\*\*$/.exec(pattern);
  if (prefixed) {
    const parent = path.join(projectRoot, prefixed[1]!);
    return fs.existsSync(parent) && fs.readdirSync(parent).some((name) => name.startsWith(prefixed[2]!) && matches(`${prefixed[1]}/${name}/**`));
  }
  if (pattern.endsWith("/**")) {
    const dir = path.join(projectRoot, pattern.slice(0, -3));
    return fs.existsSync(dir) && fs.readdirSync(dir).length > 0;
  }
  if (/[*?{[]/.test(pattern)) throw new Error(`The test does not know this pattern shape: ${pattern}`);
  return fs.existsSync(path.join(projectRoot, pattern));
}

describe("electron-builder.yml", () => {
  it("names only paths the build makes (and the native folder `npm run dist` fills)", () => {
    for (const pattern of [...config.files, ...config.asarUnpack]) {
      if (pattern === FETCHED_AT_DIST) continue;
      expect(matches(pattern), `${pattern} matches nothing after npm run build`).toBe(true);
    }
    for (const { from } of config.extraResources) expect(fs.existsSync(path.join(projectRoot, from)), from).toBe(true);
    // What the main process and the CLI load is inside the package.
    for (const file of [
      packageJson.main,
      "out/main/engineWorker.js",
      "out/main/pdfPagesWorker.js",
      "out/main/cli.js",
      "out/preload/index.cjs",
      "bin/hearth.mjs",
      "bin/cliEntry.mjs",
    ]) {
      expect(fs.existsSync(path.join(projectRoot, file)), `${file} is missing after the build`).toBe(true);
      expect(
        config.files.some((pattern) => file === pattern || (pattern.endsWith("/**") && file.startsWith(pattern.slice(0, -2)))),
        `${file} is not packaged`,
      ).toBe(true);
    }
  });

  it("unpacks the native code from the archive, where the app loads the Electron build of SQLite", () => {
    expect(config.asarUnpack).toEqual(
      expect.arrayContaining([
        "node_modules/node-llama-cpp/**",
        "node_modules/better-sqlite3/**",
        "node_modules/sqlite-vec*/**",
        "node_modules/@hyzyla/pdfium/**",
        FETCHED_AT_DIST,
      ]),
    );
    expect(config.files).toContain(FETCHED_AT_DIST);
    expect(path.relative(projectRoot, electronSqlitePath)).toBe("resources/native/better_sqlite3.node");
    const main = fs.readFileSync(path.join(projectRoot, "electron/main/index.ts"), "utf8");
    expect(main).toContain('"resources/native/better_sqlite3.node"');
    // The launcher of the installed `hearth` runs the packaged CLI with that same build.
    const launcher = fs.readFileSync(path.join(projectRoot, "resources/hearth-cli.sh"), "utf8");
    expect(launcher).toContain("app.asar/bin/hearth.mjs");
    expect(launcher).toContain("app.asar.unpacked/resources/native/better_sqlite3.node");
    expect(fs.statSync(path.join(projectRoot, "resources/hearth-cli.sh")).mode & 0o111).not.toBe(0);
  });

  it("builds an AppImage and a deb here, a dmg and an NSIS installer elsewhere, with `npm run dist`", () => {
    expect(config.linux.target).toEqual(["AppImage", "deb"]);
    expect(config.mac.target).toEqual(["dmg"]);
    expect(config.win.target).toEqual(["nsis"]);
    expect(packageJson.scripts.dist).toMatch(/npm run build && .*electron-builder$/);
    expect(packageJson.devDependencies["electron-builder"]).toBeDefined();
  });
});
