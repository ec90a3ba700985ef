import { describe, expect, it } from "vitest";
import fs from "node:fs";
import path from "node:path";
import { benchRunSchema, type BenchRun } from "../../electron/shared/contract";
import { applyBenchPacket } from "../../electron/shared/progressPackets";
import { createCore } from "../../electron/core/createCore";
import { createHandlers, invoke } from "../../electron/core/api/handlers";
import { runCli } from "../support/runCli";
import { tempDir } from "../support/tempDir";
import { testModelPath } from "../support/testModel";

const root = tempDir();
const dataDir = path.join(root, "data");
const quick = ["--pp", "64", "--tg", "16", "--reps", "2", "--threads", "1"];

/** Figures a real run on stories260K can have: positive, finite, and not absurd. */
function expectPlausible(run: BenchRun) {
  for (const row of run.rows.filter((r) => r.status === "ok")) {
    expect(row.pp!.mean).toBeGreaterThan(10);
    expect(row.tg!.mean).toBeGreaterThan(10);
    expect(row.pp!.sd).toBeGreaterThanOrEqual(0);
    expect(row.ttftMs).toBeGreaterThan(0);
    expect(row.loadMs).toBeGreaterThan(0);
    expect(row.peakRssBytes).toBeGreaterThan(10 * 1024 * 1024);
    expect(row.repsDone).toBe(run.spec.reps);
  }
}

describe("hearth bench", () => {
  let runId = "";

  it("measures stories260K: a row per combination, plausible figures, stored with the hardware", async () => {
    const result = await runCli(["bench", "--model", testModelPath, ...quick, "--depth", "0,32", "--json"], { dataDir });
    expect(result.code, result.stderr).toBe(0);
    const run = benchRunSchema.parse(JSON.parse(result.stdout));
    runId = run.id;
    expect(run.status).toBe("done");
    expect(run.rows.map((row) => [row.status, row.settings.depth])).toEqual([
      ["ok", 0],
      ["ok", 32],
    ]);
    expectPlausible(run);
    expect(run.hardware).toMatchObject({ physicalCores: expect.any(Number), backend: expect.any(String), nodeLlamaCppVersion: "3.21.1" });
    expect(run.hardware!.ramBytes).toBeGreaterThan(0);
    // Progress went to stderr, one line a finished row.
    expect(result.stderr).toMatch(/\[1\/2\] .*pp64 tg16 t1: pp [\d.]+ ± [\d.]+ tok\/s/);
  });

  it("prints the stored run as CSV and Markdown with the same figures", async () => {
    const csv = await runCli(["bench", "--show", runId, "--csv"], { dataDir });
    expect(csv.code, csv.stderr).toBe(0);
    const [header, ...lines] = csv.stdout.trim().split("\n");
    expect(header).toMatch(/^model,quantization,pp,tg,depth,.*pp_tps_mean,pp_tps_sd,tg_tps_mean/);
    expect(lines).toHaveLength(2);
    const columns = header!.split(",");
    const first = lines[0]!.split(",");
    expect(Number(first[columns.indexOf("pp_tps_mean")])).toBeGreaterThan(10);
    expect(Number(first[columns.indexOf("tg_tps_mean")])).toBeGreaterThan(10);
    expect(first[columns.indexOf("status")]).toBe("ok");

    const md = await runCli(["bench", "--show", runId, "--md"], { dataDir });
    expect(md.stdout).toMatch(/^# Hearth bench/);
    expect(md.stdout).toMatch(/node-llama-cpp 3\.21\.1/);
    expect(md.stdout.split("\n").filter((line) => line.startsWith("| stories260K"))).toHaveLength(2);

    const list = await runCli(["bench", "--list", "--json"], { dataDir });
    expect(JSON.parse(list.stdout)).toEqual([expect.objectContaining({ id: runId, rowCount: 2, status: "done" })]);
  });

  it("gives a failing model an error row and goes on with the rest", async () => {
    const core = createCore({ dataDir: path.join(root, "failing"), backend: "cpu" });
    try {
      const good = await core.library.import(testModelPath, "reference");
      const doomedFile = path.join(root, "doomed.gguf");
      fs.copyFileSync(testModelPath, doomedFile);
      const doomed = await core.library.import(doomedFile, "reference");
      fs.rmSync(doomedFile);
      const handlers = createHandlers(core);
      const progress: BenchRun[] = [];
      let live: BenchRun | null = null;
      core.bench.onProgress((packet) => {
        live = applyBenchPacket(live, packet);
        if (live) progress.push(live);
      });
      const started = await invoke(handlers, "bench.start", { modelIds: [doomed.id, good.id], pp: [32], tg: [8], reps: 1, threads: [1] });
      expect(started.ok).toBe(true);
      const { runId: id } = (started as { value: { runId: string } }).value;
      // A second run while one goes is refused.
      expect(await invoke(handlers, "bench.start", { modelIds: [good.id] })).toMatchObject({ ok: false, error: { code: "ENGINE_BUSY" } });
      await expect.poll(() => progress.at(-1)?.status, { timeout: 60_000 }).toBe("done");

      const stored = await invoke(handlers, "bench.get", { id });
      const run = (stored as { value: BenchRun }).value;
      expect(run.rows.map((row) => row.status)).toEqual(["error", "ok"]);
      expect(run.rows[0]!.error).toMatchObject({ code: "MODEL_FILE_MISSING", message: expect.stringMatching(/gone/) });
      expectPlausible(run);
      // Live progress went through the rows in order.
      expect(progress.some((p) => p.rows[1]!.status === "running")).toBe(true);

      const exported = await invoke(handlers, "bench.export", { id, format: "json" });
      expect(exported).toMatchObject({ ok: true, value: { filename: expect.stringMatching(/\.json$/) } });
      expect(JSON.parse((exported as { value: { content: string } }).value.content)).toMatchObject({ format: "hearth.bench", id });
      expect(await invoke(handlers, "bench.delete", { id })).toEqual({ ok: true, value: { ok: true } });
      expect(await invoke(handlers, "bench.get", { id })).toMatchObject({ ok: false, error: { code: "NOT_FOUND" } });
    } finally {
      await core.close();
    }
  });

  it("refuses bad settings with a one-line usage error and stores nothing", async () => {
    const noModel = await runCli(["bench", "--pp", "64"], { dataDir: path.join(root, "empty") });
    expect(noModel.code).toBe(2);
    expect(noModel.stderr.trim()).toMatch(/^hearth: Give at least one --model/);
    const badList = await runCli(["bench", "--model", testModelPath, "--depth", "0,,4"], { dataDir: path.join(root, "empty") });
    expect(badList.code).toBe(2);
    expect(badList.stderr).toMatch(/comma-separated list/);
    const nothing = await runCli(["bench", "--model", testModelPath, "--pp", "0", "--tg", "0"], { dataDir: path.join(root, "empty") });
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toMatch(/nothing to measure/);
    expect(JSON.parse((await runCli(["bench", "--list", "--json"], { dataDir: path.join(root, "empty") })).stdout)).toEqual([]);
  });
});
