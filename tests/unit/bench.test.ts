import { describe, expect, it } from "vitest";
import { benchSpecSchema, type BenchRow, type BenchRun } from "../../electron/shared/contract";
import { expandSettings, meanAndSd } from "../../electron/core/bench/benchMatrix";
import { describeSettings } from "../../electron/shared/benchLabels";
import { exportBenchRun } from "../../electron/core/export/exportBenchRun";
import { median, sessionInterval } from "../bench/benchSupport";
import { chartData } from "../../renderer/src/components/bench/BenchChart";

const spec = (input: object) => benchSpecSchema.parse({ modelIds: ["m"], ...input });

describe("bench settings matrix", () => {
  it("makes one row per combination of the listed values", () => {
    const rows = expandSettings(spec({ depth: [0, 4096], threads: [1, 2], flashAttention: [true, false], pp: [512], tg: [128] }));
    expect(rows).toHaveLength(8);
    expect(new Set(rows.map((r) => `${r.depth}/${r.threads}/${r.flashAttention}`)).size).toBe(8);
    expect(rows.every((r) => r.pp === 512 && r.tg === 128 && r.gpuLayers === "auto" && r.batchSize === null)).toBe(true);
  });

  it("sizes the context to what a row needs unless one is given", () => {
    const [small, deep] = expandSettings(spec({ depth: [0, 4096], pp: [512], tg: [128] }));
    expect(small!.contextSize).toBe(656);
    expect(deep!.contextSize).toBe(4096 + 512 + 128 + 16);
    expect(expandSettings(spec({ contextSize: 8192 }))[0]!.contextSize).toBe(8192);
  });

  it("defaults to one llama-bench row: pp512, tg128, 5 repetitions", () => {
    const parsed = spec({});
    expect(parsed).toMatchObject({ pp: [512], tg: [128], depth: [0], reps: 5 });
    expect(expandSettings(parsed).map(describeSettings)).toEqual(["pp512 tg128"]);
    expect(benchSpecSchema.safeParse({ modelIds: ["m"], pp: [0], tg: [0] }).success).toBe(false);
  });

  it("reports the sample standard deviation", () => {
    expect(meanAndSd([10, 12, 14])).toEqual({ mean: 12, sd: 2 });
    expect(meanAndSd([7])).toEqual({ mean: 7, sd: 0 });
  });
});

describe("bench export", () => {
  const row: BenchRow = {
    index: 0,
    modelId: "m",
    modelName: 'Model, "quoted"',
    quantization: "Q4_0",
    settings: { pp: 512, tg: 128, depth: 0, threads: 2, gpuLayers: "auto", batchSize: null, flashAttention: false, contextSize: 656 },
    status: "ok",
    error: null,
    repsDone: 5,
    pp: { mean: 100.123, sd: 1.5 },
    tg: { mean: 20, sd: 0.25 },
    ttftMs: 5000,
    loadMs: 300,
    peakRssBytes: 512 * 1024 * 1024,
    vramBytes: null,
    threadsUsed: 2,
  };
  it("charts each row's mean with its spread, never below zero (a noisy run's spread can pass its mean)", () => {
    const noisy: BenchRow = { ...row, pp: { mean: 40, sd: 950 }, tg: null };
    expect(chartData([row, noisy], "pp").map((bar) => [bar.value, bar.error])).toEqual([
      [100.123, [1.5, 1.5]],
      [40, [40, 950]],
    ]);
    // A row without the figure has no bar.
    expect(chartData([row, noisy], "tg")).toHaveLength(1);
  });

  const run: BenchRun = {
    id: "0123456789",
    createdAt: Date.UTC(2026, 10, 28),
    finishedAt: null,
    status: "done",
    spec: spec({}),
    hardware: null,
    rows: [row, { ...row, index: 1, status: "error", error: { code: "OUT_OF_MEMORY" as const, message: "Out of memory\nwhile loading" }, pp: null, tg: null }],
  };

  it("writes RFC 4180 CSV: quoted fields, one line a row", () => {
    const lines = exportBenchRun(run, "csv").content.trim().split("\n");
    expect(lines).toHaveLength(4); // the error's line break stays inside its quoted field
    expect(lines[1]).toMatch(/^"Model, ""quoted""",Q4_0,512,128,0,2,auto,,off,656,100\.12,1\.50,20\.00,0\.25,5000\.0,300,512,,5,ok,$/);
    expect(lines[2]).toMatch(/,error,"Out of memory$/);
  });

  it("names the files by date and run", () => {
    expect(exportBenchRun(run, "md").filename).toBe("hearth-bench-2026-11-28-00-00-00-01234567.md");
    expect(JSON.parse(exportBenchRun(run, "json").content)).toMatchObject({ format: "hearth.bench", version: 1, rows: [{ index: 0 }, { index: 1 }] });
  });
});

describe("the chat bench's session interval", () => {
  // Ten sessions, each shifted as a whole (0%, 0.4%, … 3.6% cost), with a little noise inside.
  const sessions = Array.from({ length: 10 }, (_, s) => Array.from({ length: 6 }, (_, i) => s * 0.4 + (i - 2.5) * 0.01));

  it("brackets the estimate and prints the same for the same figures", () => {
    const [low, high] = sessionInterval(sessions, median);
    expect(low).toBeLessThanOrEqual(median(sessions.flat()));
    expect(high).toBeGreaterThanOrEqual(median(sessions.flat()));
    expect(sessionInterval(sessions, median)).toEqual([low, high]);
  });

  it("resamples whole sessions: their shifts widen it, where resampling single turns would not", () => {
    const [low, high] = sessionInterval(sessions, median);
    const [turnLow, turnHigh] = sessionInterval(
      sessions.flat().map((v) => [v]),
      median,
    );
    // Six turns a session: counted as independent, they would make the interval much narrower.
    expect(high - low).toBeGreaterThan(1.5 * (turnHigh - turnLow));
  });

  it("is narrow when every session agrees", () => {
    const [low, high] = sessionInterval(
      Array.from({ length: 8 }, () => [0.5, 0.5, 0.5]),
      median,
    );
    expect([low, high]).toEqual([0.5, 0.5]);
  });
});
