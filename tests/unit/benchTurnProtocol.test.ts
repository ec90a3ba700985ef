import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { TurnTaker } from "../bench/turnTaker";

// The chat benchmark's sides warm up before they are measured; a side measured on its JIT ramp
// reads ~30% slow at stories260K's pace, so the warm-up's length is checked here.
describe("the chat benchmark's turn protocol", () => {
  let dir: string;
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** A side whose n-th turn reports n, with `tokens` tokens and `delayMs` of work per turn. */
  function side(tokens: number, delayMs: number): string {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-turns-"));
    const file = path.join(dir, "side.mjs");
    const protocol = pathToFileURL(path.resolve("tests/bench/turnProtocol.mjs")).href;
    fs.writeFileSync(
      file,
      `import { serveTurns } from ${JSON.stringify(protocol)};
let n = 0;
await serveTurns(async () => { await new Promise((r) => setTimeout(r, ${delayMs})); return { n: n++, completionTokens: ${tokens} }; });
process.exit(0);`,
    );
    return file;
  }

  it("warms up until the token budget is spent, then reports the first warm-up turn and serves measured turns", async () => {
    const taker = await TurnTaker.start<{ n: number }>(process.execPath, [side(1000, 0)], { BENCH_WARMUP_TOKENS: "3000", BENCH_WARMUP_MS: "60000" });
    try {
      expect(taker.firstTurn.n).toBe(0);
      expect((await taker.turn()).n).toBe(3);
      expect((await taker.turn()).n).toBe(4);
    } finally {
      await taker.stop();
    }
  });

  it("stops warming up when the time budget is spent, however few tokens came", async () => {
    const taker = await TurnTaker.start<{ n: number }>(process.execPath, [side(0, 20)], { BENCH_WARMUP_TOKENS: "5000", BENCH_WARMUP_MS: "200" });
    try {
      const measured = (await taker.turn()).n;
      expect(measured).toBeGreaterThan(1);
      expect(measured).toBeLessThan(30);
    } finally {
      await taker.stop();
    }
  });
});
