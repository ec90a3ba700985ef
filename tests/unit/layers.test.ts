import { describe, expect, it } from "vitest";
import fs from "node:fs";
import path from "node:path";
import { projectRoot } from "../support/testModel";

// The layering rule of the architecture, enforced rather than remembered.
const rules: { folder: string; forbidden: RegExp[]; why: string }[] = [
  { folder: "electron/shared", forbidden: [/^node:/, /^electron$/, /\/core\//, /\/main\//, /\/cli\//], why: "shared is imported by the renderer: no Node, Electron or core" },
  { folder: "electron/core", forbidden: [/^electron$/, /\/main\//, /\/preload\//, /\/cli\//, /renderer/], why: "core runs under plain Node" },
  { folder: "electron/cli", forbidden: [/^electron$/, /\/main\//, /renderer/], why: "the CLI runs without Electron" },
  { folder: "renderer/src", forbidden: [/^node:/, /^electron$/, /electron\/core/, /electron\/main/, /electron\/cli/], why: "the renderer only sees the contract" },
];

function sourceFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.(ts|tsx)$/.test(entry.name) ? [full] : [];
  });
}

function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, "utf8");
  return [...text.matchAll(/(?:import|export)\s[^'"]*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1] ?? m[2]!);
}

describe("layers", () => {
  for (const rule of rules) {
    it(`${rule.folder}: ${rule.why}`, () => {
      const offences = sourceFiles(path.join(projectRoot, rule.folder)).flatMap((file) =>
        importsOf(file)
          .filter((specifier) => rule.forbidden.some((pattern) => pattern.test(specifier)))
          .map((specifier) => `${path.relative(projectRoot, file)} imports ${specifier}`),
      );
      expect(offences).toEqual([]);
    });
  }

  it("finds the imports it checks (the rule cannot pass by reading nothing)", () => {
    expect(sourceFiles(path.join(projectRoot, "electron/core")).length).toBeGreaterThan(5);
    expect(importsOf(path.join(projectRoot, "electron/core/createCore.ts"))).toContain("./chat/ChatService");
  });
});
