import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHandlers, invoke } from "../../electron/core/api/handlers";
import { createCore, HF_TOKEN_SECRET, type Core, type CoreOptions } from "../../electron/core/createCore";
import type { Download, DownloadPacket, RepoFiles } from "../../electron/shared/modelHub";
import { startConnectProxy } from "../support/connectProxy";
import { sha256Of, startFakeHub, type FakeHub } from "../support/fakeHub";
import { runCli, spawnCli } from "../support/runCli";
import { tempDir } from "../support/tempDir";
import { downloadTestModel, TEST_MODEL_SOURCE, testModelPath } from "../support/testModel";

const REPO = "hearth-test/stories260K-GGUF";
const FILE = "stories260K.gguf";
const GATED = "hearth-test/gated-GGUF";
const TOKEN = "hf_test_token";

let hub: FakeHub;
let modelSha: string;
const modelSize = fs.statSync(testModelPath).size;
const root = tempDir("hearth-downloads-");
let dirs = 0;
const cores: Core[] = [];

function newCore(options: Partial<CoreOptions> = {}): Core {
  const core = createCore({
    dataDir: path.join(root, `data-${++dirs}`),
    keychain: null,
    ...options,
    downloads: { retryUnitMs: 20, stallMs: 2000, ...options.downloads },
  });
  cores.push(core);
  return core;
}

function partFiles(core: Core): string[] {
  const dir = path.join(core.library.modelsDir, ...REPO.split("/"));
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith(".part")) : [];
}

function fileRequests(): FakeHub["served"] {
  // Header reads ask for a fixed range from 0 up to 1 MiB; downloads ask for the rest of the file.
  return hub.served.filter((r) => r.path === FILE);
}

beforeAll(async () => {
  modelSha = await sha256Of(testModelPath);
  // A 64 MB file whose first bytes are a real GGUF header: a mirror ignoring Range would send it all.
  const big = path.join(root, "big.gguf");
  fs.copyFileSync(testModelPath, big);
  fs.truncateSync(big, 64 * 1024 * 1024);
  const junk = path.join(root, "junk.gguf");
  fs.writeFileSync(junk, "this is not a model ".repeat(5000));
  hub = await startFakeHub([
    {
      id: REPO,
      files: [
        { path: FILE, source: testModelPath },
        { path: "README.md", source: testModelPath },
      ],
      downloads: 500,
      lastModified: "2026-03-01T00:00:00.000Z",
    },
    { id: "hearth-test/tinystories-collection-GGUF", files: [{ path: FILE, source: testModelPath }], downloads: 20, lastModified: "2026-06-01T00:00:00.000Z" },
    { id: "hearth-test/tinytales260K-GGUF", files: [{ path: "tinytales260K-F32.gguf", source: testModelPath }], downloads: 5 },
    { id: GATED, files: [{ path: FILE, source: testModelPath }], gatedToken: TOKEN },
    { id: "hearth-test/corrupt-GGUF", files: [{ path: FILE, source: testModelPath }] },
    { id: "hearth-test/not-a-model-GGUF", files: [{ path: FILE, source: junk }] },
    { id: "hearth-test/big-GGUF", files: [{ path: "big.gguf", source: big }] },
    ...["a", "b", "c"].map((name) => ({ id: `hearth-test/queue-${name}-GGUF`, files: [{ path: FILE, source: testModelPath }] })),
    {
      id: TEST_MODEL_SOURCE.repo,
      files: [
        { path: "README.md", source: testModelPath },
        { path: TEST_MODEL_SOURCE.file, source: testModelPath },
      ],
    },
  ]);
  process.env.HF_ENDPOINT = hub.url;
});

afterAll(async () => {
  await Promise.all(cores.map((core) => core.close()));
  await hub.close();
  delete process.env.HF_ENDPOINT;
});

function resetFaults(): void {
  hub.faults = {};
  hub.served.length = 0;
  hub.apiCalls.length = 0;
}

describe("hub discovery", () => {
  it("searches GGUF repos by downloads or recency, and logs each request", async () => {
    resetFaults();
    const core = newCore();
    const byDownloads = await core.hub.search({ query: "stories", sort: "downloads", limit: 10 });
    expect(byDownloads.map((m) => m.repo)).toEqual([REPO, "hearth-test/tinystories-collection-GGUF"]);
    const byDate = await core.hub.search({ query: "stories", sort: "recent", limit: 10 });
    expect(byDate[0]!.repo).toBe("hearth-test/tinystories-collection-GGUF");
    expect(hub.apiCalls[0]).toContain("filter=gguf");
    const log = core.networkLog.list();
    expect(log).toHaveLength(2);
    expect(log[0]).toMatchObject({ host: new URL(hub.url).host, purpose: "search", status: 200 });
    expect(log[0]!.bytes).toBeGreaterThan(0);
    // Through the advisor, each result names its quantizations and what its name says of its size.
    const [sized] = await core.advisor.search({ query: "tinytales", sort: "downloads", limit: 10 });
    expect(sized).toMatchObject({ repo: "hearth-test/tinytales260K-GGUF", quants: ["F32"], sizeRange: { min: 260e3 * 4, max: 260e3 * 4 } });
    expect(sized!.fit?.verdict).toMatch(/cpuOnly|fullGpu|partialGpu/);
    // A file name that names no quantization gives no estimate, rather than a guess.
    expect((await core.advisor.search({ query: "stories", sort: "downloads", limit: 10 }))[0]).toMatchObject({ quants: [], sizeRange: null, fit: null });
  });

  it("lists a repo's GGUF models with a fit verdict from the remote header and a recommendation", async () => {
    resetFaults();
    const core = newCore();
    const files = (await invoke(createHandlers(core), "hub.files", { repo: REPO, contextSize: 1024 })) as { ok: true; value: RepoFiles };
    expect(files.ok).toBe(true);
    const groups = files.value.groups;
    expect(groups.map((g) => g.key)).toEqual([FILE]); // README.md is not a model
    const fit = groups[0]!.fit!;
    expect(fit).not.toBeNull();
    // No GPU on the CI machine: the CPU verdict; with a GPU this small model fits on it whole.
    expect(["cpuOnly", "fullGpu"]).toContain(fit.verdict);
    expect(fit.totalLayers).toBeGreaterThanOrEqual(5); // 5 blocks, plus the output layer as node-llama-cpp counts
    expect(fit.contextSize).toBe(1024);
    expect(fit.note).not.toMatch(/at most/);
    expect(fit.ramBytes + fit.vramBytes).toBeGreaterThan(modelSize * 0.5);
    expect(fit.ramBytes + fit.vramBytes).toBeLessThan(512 * 1024 ** 2);
    expect(groups[0]!.recommended).toBe(true);
    expect(groups[0]!.files[0]!.sha256).toBe(modelSha);
    // Only the header was read, not the weights... and a second look reads nothing again.
    expect(fileRequests().every((r) => r.range?.startsWith("bytes=0-"))).toBe(true);
    const before = hub.served.length;
    await core.advisor.repoFiles(REPO, 1024);
    expect(hub.served.length).toBe(before);
  });

  it("reads only the header's bytes from a mirror that ignores Range, and hangs up on the rest", async () => {
    resetFaults();
    hub.faults.ignoreRange = true;
    const core = newCore();
    const files = await core.advisor.repoFiles("hearth-test/big-GGUF", 1024);
    expect(files.groups[0]!.fit).not.toBeNull();
    const header = hub.served.find((r) => r.path === "big.gguf")!;
    expect(header.range).toBe("bytes=0-1048575");
    // What the hub got into the socket before the hang-up, far from the 64 MB it would have sent.
    expect(header.bytes).toBeLessThan(16 * 1024 * 1024);
  });

  it("stops reading an endless answer from a hostile mirror at 64 MiB, with a clear error", async () => {
    resetFaults();
    hub.faults.endlessApiBody = true;
    const core = newCore();
    await expect(core.hub.listFiles(REPO)).rejects.toMatchObject({ code: "NETWORK", message: expect.stringMatching(/larger than 64 MiB/) });
    hub.faults = {};
    expect((await core.hub.listFiles(REPO)).length).toBeGreaterThan(0);
  });

  it("names unknown and gated repos with their own errors; a token opens a gated repo", async () => {
    resetFaults();
    const core = newCore();
    await expect(core.hub.listFiles("hearth-test/missing-GGUF")).rejects.toMatchObject({ code: "HUB_NOT_FOUND" });
    await expect(core.hub.listFiles("not a repo")).rejects.toMatchObject({ code: "INVALID_INPUT" });
    await expect(core.hub.listFiles(GATED)).rejects.toMatchObject({ code: "HUB_UNAUTHORIZED" });
    core.secrets.set(HF_TOKEN_SECRET, TOKEN);
    expect((await core.hub.listFiles(GATED)).map((f) => f.path)).toEqual([FILE]);
  });

  it("follows the hub's redirect to its CDN, logs both hosts, and keeps the token for the hub", async () => {
    resetFaults();
    hub.faults.redirectFilesToHost = "localhost";
    const core = newCore();
    core.secrets.set(HF_TOKEN_SECRET, TOKEN);
    const files = await core.advisor.repoFiles(GATED, 1024);
    expect(files.groups[0]!.fit).not.toBeNull(); // the header read went through the redirect
    const started = await core.downloads.enqueue(GATED, "F32", files.groups[0]!.files);
    expect((await core.downloads.waitFor(started.id)).status).toBe("done");
    expect(hub.served.length).toBeGreaterThanOrEqual(2);
    expect(hub.served.every((r) => r.authorization === null)).toBe(true);
    const hosts = new Set(
      core.networkLog
        .list()
        .filter((e) => e.purpose === "download" || e.purpose === "model header")
        .map((e) => e.host.split(":")[0]),
    );
    expect(hosts).toEqual(new Set(["127.0.0.1", "localhost"]));
    // The CDN's signed link is a credential: its query string is not written down.
    expect(core.networkLog.list().some((e) => e.path.startsWith("/cdn/"))).toBe(true);
    expect(core.networkLog.list().every((e) => !e.path.includes("signed-secret"))).toBe(true);
  });
});

describe("downloads", () => {
  async function download(core: Core, repo = REPO): Promise<{ final: Download; packets: DownloadPacket[] }> {
    const packets: DownloadPacket[] = [];
    const unsubscribe = core.downloads.onPacket((p) => packets.push(p));
    const files = (await core.hub.listFiles(repo)).filter((f) => f.path === FILE);
    const started = await core.downloads.enqueue(repo, "F32", files);
    const final = await core.downloads.waitFor(started.id);
    unsubscribe();
    return { final, packets };
  }

  it("downloads, verifies the SHA-256 and adds the model to the library", async () => {
    resetFaults();
    hub.faults.throttleBytesPerSecond = 2_000_000; // long enough to see progress events
    const core = newCore();
    const { final, packets } = await download(core);
    expect(final.status).toBe("done");
    const model = core.library.get(final.modelId!);
    expect(model).toMatchObject({ sourceRepo: REPO, storage: "downloaded", architecture: "llama", fileSize: modelSize });
    expect(await sha256Of(model.path)).toBe(modelSha);
    expect(partFiles(core)).toEqual([]);
    const statuses = packets.flatMap((p) => (p.type === "status" ? [p.download.status] : []));
    expect(statuses).toEqual(["queued", "running", "verifying", "done"]);
    const progress = packets.flatMap((p) => (p.type === "progress" ? [p.receivedBytes] : []));
    expect(progress.length).toBeGreaterThan(0);
    expect([...progress].sort((a, b) => a - b)).toEqual(progress);
    expect(core.networkLog.list().find((e) => e.purpose === "download")).toMatchObject({ status: 200, bytes: modelSize });
  });

  it("marks a model already in the library, refuses to fetch it again, and never touches its file", async () => {
    resetFaults();
    const core = newCore();
    const { final } = await download(core);
    const model = core.library.get(final.modelId!);
    const before = { sha: await sha256Of(model.path), mtime: fs.statSync(model.path).mtimeMs };
    const files = (await invoke(createHandlers(core), "hub.files", { repo: REPO, contextSize: 1024 })) as { ok: true; value: RepoFiles };
    expect(files.value.groups[0]!.inLibrary).toBe(model.id);
    const served = fileRequests().length;
    expect(await invoke(createHandlers(core), "downloads.start", { repo: REPO, key: FILE })).toMatchObject({
      ok: false,
      error: { code: "ALREADY_EXISTS", message: expect.stringContaining(`already in the library as ${model.id}`) },
    });
    expect(fileRequests().length).toBe(served);
    expect(await sha256Of(model.path)).toBe(before.sha);
    expect(fs.statSync(model.path).mtimeMs).toBe(before.mtime);
    expect(core.library.list()).toEqual([expect.objectContaining({ id: model.id, missing: false })]);
  });

  it("a download that ends on a library file's path fails without overwriting or deleting it", async () => {
    resetFaults();
    const core = newCore();
    // The file is already where the download would put it, imported by hand.
    const dest = path.join(core.library.modelsDir, ...REPO.split("/"), FILE);
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    fs.copyFileSync(testModelPath, dest);
    const mine = await core.library.import(dest, "reference");
    const mtime = fs.statSync(dest).mtimeMs;
    // A download row from before (queued by an older Hearth), resumed now.
    const files = (await core.hub.listFiles(REPO)).filter((f) => f.path === FILE);
    core.db
      .prepare(`INSERT INTO downloads (id, created_at, repo, quant, files_json, dest_dir, total_bytes, status) VALUES ('old', 1, ?, 'F32', ?, ?, ?, 'paused')`)
      .run(REPO, JSON.stringify(files), path.dirname(dest), modelSize);
    core.downloads.resume("old");
    const final = await core.downloads.waitFor("old");
    expect(final).toMatchObject({ status: "failed", error: { code: "ALREADY_EXISTS" } });
    expect(fs.statSync(dest).mtimeMs).toBe(mtime);
    expect(await sha256Of(dest)).toBe(modelSha);
    expect(core.library.list()).toEqual([expect.objectContaining({ id: mine.id, path: dest, missing: false })]);
  });

  it("leaves a file another live process holds to it: no second writer, no retry loop, and it runs once resumed after", async () => {
    resetFaults();
    const core = newCore();
    const destDir = path.join(core.library.modelsDir, ...REPO.split("/"));
    fs.mkdirSync(destDir, { recursive: true });
    const files = (await core.hub.listFiles(REPO)).filter((f) => f.path === FILE);
    core.db
      .prepare(`INSERT INTO downloads (id, created_at, repo, quant, files_json, dest_dir, total_bytes, status) VALUES ('held', 1, ?, 'F32', ?, ?, ?, 'paused')`)
      .run(REPO, JSON.stringify(files), destDir, modelSize);
    const other = spawn("sleep", ["30"]);
    const lock = path.join(destDir, `${FILE}.part.lock`);
    fs.writeFileSync(lock, JSON.stringify({ pid: other.pid, startedAt: null }));
    try {
      core.downloads.startQueue();
      core.downloads.resume("held");
      expect(await core.downloads.waitFor("held")).toMatchObject({
        status: "failed",
        error: { code: "IN_USE", message: expect.stringContaining(`pid ${other.pid}`) },
      });
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(fileRequests()).toEqual([]);
      expect(fs.readFileSync(lock, "utf8")).toContain(String(other.pid));
    } finally {
      other.kill();
    }
    await new Promise((resolve) => other.once("exit", resolve));
    core.downloads.resume("held");
    expect(await core.downloads.waitFor("held")).toMatchObject({ status: "done" });
    expect(fs.existsSync(lock)).toBe(false);
  });

  it("marks a model whose file is gone as missing; Locate points it at the file's new place", async () => {
    resetFaults();
    const core = newCore();
    const { final } = await download(core);
    const model = core.library.get(final.modelId!);
    const moved = path.join(root, `moved-${dirs}.gguf`);
    fs.renameSync(model.path, moved);
    const handlers = createHandlers(core);
    expect(await invoke(handlers, "models.list", {})).toMatchObject({ ok: true, value: [{ id: model.id, missing: true }] });
    // A 64 MB file whose first bytes are a real GGUF header: a mirror ignoring Range would send it all.
    const big = path.join(root, "big.gguf");
    fs.copyFileSync(testModelPath, big);
    fs.truncateSync(big, 64 * 1024 * 1024);
    const junk = path.join(root, "junk.gguf");
    expect(await invoke(handlers, "models.locate", { id: model.id, path: junk })).toMatchObject({ ok: false, error: { code: "MODEL_INVALID" } });
    expect(await invoke(handlers, "models.locate", { id: model.id, path: moved })).toMatchObject({
      ok: true,
      // Outside Hearth's folder the file is the user's now: removing the model will not delete it.
      value: { id: model.id, path: moved, missing: false, storage: "referenced" },
    });
    await core.library.remove(model.id);
    expect(fs.existsSync(moved)).toBe(true);
  });

  it("reads the model's header while the rest still arrives, and lists the same facts as an import", async () => {
    resetFaults();
    hub.faults.throttleBytesPerSecond = 4_000_000;
    // Read the header once 100 kB are in, as it is once 64 MiB are in for a real model.
    const core = newCore({ downloads: { earlyHeaderAtBytes: 100_000 } });
    const { final } = await download(core);
    expect(final.status).toBe("done");
    const downloaded = core.library.get(final.modelId!);
    const reference = newCore().library;
    const imported = await reference.import(testModelPath, "reference");
    const facts = ({ name, architecture, parameterCount, quantization, contextLength, hasChatTemplate, fileSize }: typeof downloaded) => ({
      name,
      architecture,
      parameterCount,
      quantization,
      contextLength,
      hasChatTemplate,
      fileSize,
    });
    expect(facts(downloaded)).toEqual(facts(imported));
    expect(downloaded.path.endsWith(FILE)).toBe(true);
  });

  it("rejects corrupted bytes by their hash, deletes them and adds nothing", async () => {
    resetFaults();
    hub.faults.corrupt = true;
    const core = newCore();
    const { final } = await download(core, "hearth-test/corrupt-GGUF");
    expect(final.status).toBe("failed");
    expect(final.error).toMatchObject({ code: "VERIFY_FAILED" });
    expect(core.library.list()).toEqual([]);
    const dir = path.join(core.library.modelsDir, "hearth-test", "corrupt-GGUF");
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it("deletes a file whose hash matches but which is no usable GGUF, and lists nothing", async () => {
    resetFaults();
    const core = newCore();
    const { final } = await download(core, "hearth-test/not-a-model-GGUF");
    expect(final.status).toBe("failed");
    expect(final.error).toMatchObject({ code: "MODEL_INVALID" });
    expect(core.library.list()).toEqual([]);
    expect(fs.readdirSync(path.join(core.library.modelsDir, "hearth-test", "not-a-model-GGUF"))).toEqual([]);
  });

  it("retries a dropped connection from the bytes it already has, and says so", async () => {
    resetFaults();
    hub.faults.dropAfterBytes = { bytes: 300_000, times: 2 };
    const core = newCore();
    const { final, packets } = await download(core);
    expect(final.status).toBe("done");
    const messages = packets.flatMap((p) => (p.type === "status" && p.download.status === "retrying" ? [p.download.message] : []));
    expect(messages).toHaveLength(2);
    expect(messages[0]).toMatch(/Retrying in .* \(attempt 2 of 5\)/);
    // Each retry asks for the bytes after those on disk: all that arrived but the last socket
    // read or two, which the HTTP client drops with the broken connection.
    const starts = fileRequests().map((r) => Number(/^bytes=(\d+)-$/.exec(r.range ?? "bytes=0-")?.[1]));
    expect(starts[0]).toBe(0);
    expect(starts[1]).toBeGreaterThan(300_000 - 65_536);
    expect(starts[1]).toBeLessThanOrEqual(300_000);
    expect(starts[2]).toBeGreaterThan(starts[1]! + 300_000 - 65_536);
    expect(starts[2]).toBeLessThanOrEqual(starts[1]! + 300_000);
    expect(fileRequests().reduce((sum, r) => sum + r.bytes, 0)).toBeLessThan(modelSize + 2 * 65_536);
    expect(await sha256Of(core.library.get(final.modelId!).path)).toBe(modelSha);
  });

  it("detects a stalled transfer, retries it, and reports a failure when retries run out", async () => {
    resetFaults();
    hub.faults.stallAfterBytes = { bytes: 100_000, times: 1 };
    const core = newCore({ downloads: { stallMs: 400 } });
    const { final, packets } = await download(core);
    expect(final.status).toBe("done");
    expect(packets.some((p) => p.type === "status" && /stalled: no data/.test(p.download.message ?? ""))).toBe(true);

    resetFaults();
    hub.faults.dropAfterBytes = { bytes: 50_000, times: 10 };
    const failing = newCore({ downloads: { maxAttempts: 3 } });
    const failed = await download(failing);
    expect(failed.final.status).toBe("failed");
    expect(failed.final.error).toMatchObject({ code: "NETWORK" });
    expect(failed.final.error!.message).toMatch(/broke off|closed/);
    // What arrived stays for a later resume, never as a model.
    expect(partFiles(failing)).toEqual([`${FILE}.part`]);
    expect(failing.library.list()).toEqual([]);
  });

  it("runs two downloads at once and queues the rest", async () => {
    resetFaults();
    hub.faults.throttleBytesPerSecond = 1_500_000;
    const core = newCore();
    let running = 0;
    let mostAtOnce = 0;
    const statuses = new Map<string, string>();
    core.downloads.onPacket((p) => {
      if (p.type !== "status") return;
      statuses.set(p.download.id, p.download.status);
      running = [...statuses.values()].filter((s) => s === "running").length;
      mostAtOnce = Math.max(mostAtOnce, running);
    });
    const started = [];
    for (const name of ["a", "b", "c"]) {
      const repo = `hearth-test/queue-${name}-GGUF`;
      started.push(await core.downloads.enqueue(repo, "F32", await core.hub.listFiles(repo)));
    }
    expect(core.downloads.get(started[2]!.id).status).toBe("queued");
    // Paused while it waits: it stops without running, and a waiter hears so.
    core.downloads.pause(started[2]!.id);
    expect((await core.downloads.waitFor(started[2]!.id)).status).toBe("paused");
    core.downloads.resume(started[2]!.id);
    const finished = await Promise.all(started.map((d) => core.downloads.waitFor(d.id)));
    expect(finished.map((d) => d.status)).toEqual(["done", "done", "done"]);
    expect(mostAtOnce).toBe(2);
    expect(core.library.list()).toHaveLength(3);
  });

  it("refuses to start when the disk cannot hold the file", async () => {
    resetFaults();
    const core = newCore({ downloads: { freeDiskBytes: async () => 10 * 1024 * 1024 } });
    const files = await core.hub.listFiles(REPO);
    await expect(
      core.downloads.enqueue(
        REPO,
        "F32",
        files.filter((f) => f.path === FILE),
      ),
    ).rejects.toMatchObject({ code: "DISK_FULL" });
    expect(core.downloads.list()).toEqual([]);
    expect(fileRequests()).toEqual([]);
  });

  it("pauses, resumes and cancels", async () => {
    resetFaults();
    hub.faults.throttleBytesPerSecond = 400_000;
    const core = newCore();
    const files = (await core.hub.listFiles(REPO)).filter((f) => f.path === FILE);
    const started = await core.downloads.enqueue(REPO, "F32", files);
    await until(() => core.downloads.get(started.id).receivedBytes > 100_000);
    core.downloads.pause(started.id);
    const paused = await core.downloads.waitFor(started.id);
    expect(paused.status).toBe("paused");
    const kept = fs.statSync(path.join(core.library.modelsDir, ...REPO.split("/"), `${FILE}.part`)).size;
    expect(kept).toBeGreaterThan(100_000);
    hub.faults.throttleBytesPerSecond = undefined;
    core.downloads.resume(started.id);
    const done = await core.downloads.waitFor(started.id);
    expect(done.status).toBe("done");
    expect(fileRequests().at(-1)!.range).toBe(`bytes=${kept}-`);

    resetFaults();
    hub.faults.throttleBytesPerSecond = 400_000;
    const other = newCore();
    const second = await other.downloads.enqueue(REPO, "F32", files);
    await until(() => other.downloads.get(second.id).receivedBytes > 50_000);
    await other.downloads.cancel(second.id);
    expect(other.downloads.get(second.id)).toMatchObject({ status: "cancelled", receivedBytes: 0 });
    expect(partFiles(other)).toEqual([]);

    // Paused, then cancelled: its bytes are gone too, and it can be downloaded again, from the start.
    hub.faults.throttleBytesPerSecond = 400_000;
    other.downloads.resume(second.id);
    await until(() => other.downloads.get(second.id).receivedBytes > 50_000);
    other.downloads.pause(second.id);
    await other.downloads.waitFor(second.id);
    await other.downloads.cancel(second.id);
    expect(other.downloads.get(second.id)).toMatchObject({ status: "cancelled", receivedBytes: 0 });
    hub.faults.throttleBytesPerSecond = undefined;
    other.downloads.resume(second.id);
    expect((await other.downloads.waitFor(second.id)).status).toBe("done");
    expect(fileRequests().at(-1)!.range ?? "bytes=0-").toBe("bytes=0-");
  });

  it("refuses every request when offline, and sends none", async () => {
    resetFaults();
    const core = newCore();
    core.settings.update({ offline: true });
    await expect(core.hub.search({ query: "stories", sort: "downloads", limit: 5 })).rejects.toMatchObject({ code: "OFFLINE" });
    await expect(core.advisor.repoFiles(REPO, 1024)).rejects.toMatchObject({ code: "OFFLINE" });
    await expect(core.downloads.enqueue(REPO, "F32", [{ path: FILE, size: modelSize, sha256: modelSha }])).rejects.toMatchObject({ code: "OFFLINE" });
    expect(hub.apiCalls).toEqual([]);
    expect(hub.served).toEqual([]);
    expect(core.networkLog.list()).toEqual([]);

    const dataDir = path.join(root, "offline-cli");
    const cli = await runCli(["models", "pull", `${REPO}:${FILE}`], { dataDir, env: { HEARTH_OFFLINE: "1", HF_ENDPOINT: hub.url } });
    expect(cli.code).toBe(1);
    expect(cli.stderr).toMatch(/^hearth: Hearth is offline/);
    expect(hub.apiCalls).toEqual([]);
  });
  describe("over several connections", () => {
    /** A core that shares files over 100 kB among connections (the stories model makes four). */
    const segmentedCore = () => newCore({ downloads: { minSegmentBytes: 100_000 } });
    const segmentRecord = (core: Core) => path.join(core.library.modelsDir, ...REPO.split("/"), `${FILE}.part.segments`);

    it("fetches a large file's ranges in parallel, hashes them in order and lists the model", async () => {
      resetFaults();
      hub.faults.throttleBytesPerSecond = 1_000_000;
      const core = segmentedCore();
      const { final } = await download(core);
      expect(final.status).toBe("done");
      const ranges = fileRequests().map((r) => r.range);
      const quarter = Math.ceil(modelSize / 4);
      expect(ranges).toEqual([
        `bytes=0-${quarter - 1}`,
        `bytes=${quarter}-${2 * quarter - 1}`,
        `bytes=${2 * quarter}-${3 * quarter - 1}`,
        `bytes=${3 * quarter}-`,
      ]);
      expect(fileRequests().reduce((sum, r) => sum + r.bytes, 0)).toBe(modelSize);
      expect(await sha256Of(core.library.get(final.modelId!).path)).toBe(modelSha);
      expect(fs.existsSync(segmentRecord(core))).toBe(false);
      // One connection in Settings: one request for the whole file.
      resetFaults();
      const single = newCore({ downloads: { minSegmentBytes: 100_000 } });
      single.settings.update({ downloadConnections: 1 });
      expect((await download(single)).final.status).toBe("done");
      expect(fileRequests().map((r) => r.range)).toEqual([null]);
    });

    it("pauses and resumes each range from its own record, fetching no byte twice", async () => {
      resetFaults();
      hub.faults.throttleBytesPerSecond = 150_000;
      const core = segmentedCore();
      const files = (await core.hub.listFiles(REPO)).filter((f) => f.path === FILE);
      const started = await core.downloads.enqueue(REPO, "F32", files);
      await until(() => core.downloads.get(started.id).receivedBytes > 200_000);
      core.downloads.pause(started.id);
      expect((await core.downloads.waitFor(started.id)).status).toBe("paused");
      const record = JSON.parse(fs.readFileSync(segmentRecord(core), "utf8")) as { segments: { start: number; end: number; at: number }[] };
      expect(record.segments).toHaveLength(4);
      expect(record.segments.every((s) => s.at > s.start)).toBe(true);
      hub.faults.throttleBytesPerSecond = undefined;
      const before = fileRequests().length;
      core.downloads.resume(started.id);
      const done = await core.downloads.waitFor(started.id);
      expect(done.status).toBe("done");
      // Each range resumes where its record says, so no byte comes twice (the record may lag a read or two).
      const resumedFrom = fileRequests()
        .slice(before, before + 4)
        .map((r) => Number(/^bytes=(\d+)-/.exec(r.range!)![1]))
        .sort((a, b) => a - b);
      expect(resumedFrom).toEqual(record.segments.map((s) => s.at).sort((a, b) => a - b));
      // A connection that ends early takes half of the largest range left: that request too starts
      // past what the record had stored in its segment, so nothing stored is asked for again.
      for (const request of fileRequests().slice(before + 4)) {
        const from = Number(/^bytes=(\d+)-/.exec(request.range!)![1]);
        const segment = record.segments.find((s) => from >= s.start && from < s.end)!;
        expect(from).toBeGreaterThan(segment.at);
      }
      // On the wire, what the hub had pushed into a socket when its connection was stopped (the
      // pause, a range split) is sent again: the kernel's buffering, which grows with the machine's
      // load. It is never a second whole download.
      expect(fileRequests().reduce((sum, r) => sum + r.bytes, 0)).toBeLessThan(2 * modelSize);
      expect(await sha256Of(core.library.get(done.modelId!).path)).toBe(modelSha);
      expect(fs.existsSync(segmentRecord(core))).toBe(false);
    });

    it("retries a dropped range from its record, and falls back to one connection where Range is ignored", async () => {
      resetFaults();
      hub.faults.dropAfterBytes = { bytes: 100_000, times: 1 };
      const core = segmentedCore();
      const dropped = await download(core);
      expect(dropped.final.error).toBeNull();
      expect(dropped.final.status).toBe("done");
      expect(dropped.packets.some((p) => p.type === "status" && p.download.status === "retrying")).toBe(true);
      expect(await sha256Of(core.library.get(dropped.final.modelId!).path)).toBe(modelSha);

      resetFaults();
      hub.faults.ignoreRange = true;
      const other = segmentedCore();
      const whole = await download(other);
      expect(whole.final.error).toBeNull();
      expect(whole.final.status).toBe("done");
      expect(fileRequests().at(-1)!.range).toBeNull();
      expect(await sha256Of(other.library.get(whole.final.modelId!).path)).toBe(modelSha);
      expect(partFiles(other)).toEqual([]);
    });

    it("rejects a corrupted range by the whole file's hash and deletes the file and its record", async () => {
      resetFaults();
      hub.faults.corrupt = true;
      const core = segmentedCore();
      const { final } = await download(core, "hearth-test/corrupt-GGUF");
      expect(final.status).toBe("failed");
      expect(final.error).toMatchObject({ code: "VERIFY_FAILED" });
      expect(fs.readdirSync(path.join(core.library.modelsDir, "hearth-test", "corrupt-GGUF"))).toEqual([]);
    });
  });

  it("goes out through the proxy in Settings, which the network log names; NO_PROXY and this machine go direct", async () => {
    resetFaults();
    const proxy = await startConnectProxy(Number(new URL(hub.url).port));
    try {
      const core = newCore();
      core.settings.update({ proxy: `${proxy.url.replace("http://", "http://user:secret@")}` });
      // A name only the proxy can reach: it tunnels every host to the fake hub.
      const remote = `http://models.example:${new URL(hub.url).port}`;
      const answer = await core.outbound.fetch(`${remote}/api/models?search=stories`, { purpose: "search" });
      expect(answer.status).toBe(200);
      expect(((await answer.json()) as unknown[]).length).toBeGreaterThan(0);
      const stream = await core.outbound.openStream(`${remote}/${REPO}/resolve/main/${FILE}`, { purpose: "download" });
      let bytes = 0;
      for await (const chunk of stream.body) bytes += (chunk as Buffer).byteLength;
      stream.finish({ bytes });
      expect(bytes).toBe(modelSize);
      expect(proxy.connects).toEqual([`models.example:${new URL(hub.url).port}`, `models.example:${new URL(hub.url).port}`]);
      const logged = core.networkLog.list().slice(0, 2);
      expect(logged.map((e) => e.via)).toEqual([proxy.url, proxy.url]);
      expect(JSON.stringify(logged)).not.toContain("secret");

      // The hub on this machine is never sent to a proxy, and NO_PROXY's hosts go direct (here: to a name that does not resolve).
      expect((await core.hub.listFiles(REPO)).length).toBeGreaterThan(0);
      expect(core.networkLog.list()[0]!.via).toBeNull();
      process.env.NO_PROXY = "models.example";
      try {
        await expect(core.outbound.fetch(`${remote}/api/models`, { purpose: "search" })).rejects.toMatchObject({ code: "NETWORK" });
      } finally {
        delete process.env.NO_PROXY;
      }
      expect(proxy.connects).toHaveLength(2);
    } finally {
      await proxy.close();
    }
  });
});

describe("hearth models pull", () => {
  it("resumes after the process is killed mid-download, without fetching bytes again", async () => {
    resetFaults();
    hub.faults.throttleBytesPerSecond = 60_000;
    const dataDir = path.join(root, "pull-kill");
    const child = spawnCli(["models", "pull", `${REPO}:${FILE}`], dataDir);
    child.stderr.resume();
    child.stdout.resume();
    const env = { HF_ENDPOINT: hub.url };
    await until(() => (fileRequests()[0]?.bytes ?? 0) > 200_000, 30_000);
    // Another Hearth opening the same data dir meanwhile leaves the live download alone...
    const other = createCore({ dataDir });
    expect(other.downloads.list()).toEqual([expect.objectContaining({ status: "running" })]);
    await other.close();
    // ...and a second pull of the same file is refused in one line instead of writing into the same .part.
    const second = await runCli(["models", "pull", `${REPO}:${FILE}`], { dataDir, env });
    expect(second.code).toBe(1);
    expect(second.stderr.trim()).toMatch(new RegExp(`^hearth: Another Hearth process \\(pid ${child.pid}\\) is downloading`));
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGKILL");
    await exited;
    const part = path.join(dataDir, "models", ...REPO.split("/"), `${FILE}.part`);
    const onDisk = fs.statSync(part).size;
    expect(onDisk).toBeGreaterThan(0);
    expect(onDisk).toBeLessThan(modelSize);

    hub.faults.throttleBytesPerSecond = undefined;
    const again = await runCli(["models", "pull", `${REPO}:${FILE}`, "--json"], { dataDir, env });
    expect(again.stderr).not.toMatch(/hearth:/);
    expect(again.code).toBe(0);
    const result = JSON.parse(again.stdout);
    expect(result).toMatchObject({ repo: REPO, quant: "stories260K", files: [FILE], bytes: modelSize, sha256Verified: true, alreadyInLibrary: false });
    const ranges = fileRequests().map((r) => r.range);
    expect(ranges).toEqual([null, `bytes=${onDisk}-`]);
    expect(fileRequests()[1]!.bytes).toBe(modelSize - onDisk);
    expect(fs.existsSync(part)).toBe(false);

    const list = await runCli(["models", "list", "--json"], { dataDir });
    expect(JSON.parse(list.stdout)).toEqual([expect.objectContaining({ id: result.modelId, sourceRepo: REPO, storage: "downloaded" })]);
    const table = await runCli(["models", "list"], { dataDir });
    expect(table.stdout).toMatch(/SOURCE\s+LAST USED/);
    expect(table.stdout).toContain(`${REPO}  never`);
    const twice = await runCli(["models", "pull", `${REPO}:${FILE}`, "--json"], { dataDir, env });
    expect(JSON.parse(twice.stdout)).toMatchObject({ modelId: result.modelId, alreadyInLibrary: true });
  });

  it("prints plain progress lines when stderr is not a terminal, and clear errors for bad refs", async () => {
    resetFaults();
    const dataDir = path.join(root, "pull-plain");
    const env = { HF_ENDPOINT: hub.url };
    const pulled = await runCli(["models", "pull", REPO], { dataDir, env });
    expect(pulled.code).toBe(0);
    expect(pulled.stderr).not.toContain("\r");
    expect(pulled.stderr).toMatch(/Added stories260k to the library/);
    const unknownQuant = await runCli(["models", "pull", `${REPO}:Q4_K_M`], { dataDir, env });
    expect(unknownQuant.code).toBe(1);
    expect(unknownQuant.stderr).toMatch(/has no model "Q4_K_M".*Available: stories260K/);
    const missing = await runCli(["models", "pull", "hearth-test/nothing-here"], { dataDir, env });
    expect(missing.stderr).toMatch(/Not found on the hub/);
    const files = await runCli(["models", "files", REPO, "--json", "--ctx", "512"], { dataDir, env });
    expect(JSON.parse(files.stdout)).toMatchObject({ repo: REPO, contextSize: 512, groups: [expect.objectContaining({ key: FILE, recommended: true })] });
    // Past the model's own limit (2,048 tokens), the estimate is for the limit, and says so.
    const large = await runCli(["models", "files", REPO, "--json", "--ctx", "8192"], { dataDir, env });
    expect(JSON.parse(large.stdout).groups[0].fit).toMatchObject({ contextSize: 2048, note: expect.stringContaining("at most 2,048 tokens") });
  });
});

describe("the test setup", () => {
  it("downloads the test model with Hearth's downloader where it is missing", async () => {
    resetFaults();
    const target = path.join(root, "test-model", "stories260K.gguf");
    await downloadTestModel(target);
    expect(await sha256Of(target)).toBe(modelSha);
    expect(fileRequests()).toEqual([]); // served under its own path in the repo
    expect(hub.served.map((r) => r.path)).toEqual([TEST_MODEL_SOURCE.file]);
  });
});

describe("hearth hardware", () => {
  it("reports backends with the reason each unusable one is not used, RAM and cores", async () => {
    const result = await runCli(["hardware", "--json"], { dataDir: path.join(root, "hardware") });
    expect(result.code).toBe(0);
    const info = JSON.parse(result.stdout);
    expect(info.backends.map((b: { name: string }) => b.name)).toEqual(["metal", "cuda", "vulkan", "cpu"]);
    for (const backend of info.backends) expect(backend.usable || typeof backend.reason === "string").toBe(true);
    expect(info.backends.find((b: { name: string }) => b.name === info.chosen).usable).toBe(true);
    if (info.chosen === "cpu") expect(info.fallbackReason).toMatch(/^Running on the CPU/);
    expect(info.ram.totalBytes).toBeGreaterThan(info.ram.freeBytes * 0.5);
    expect(info.cpu.physicalCores).toBeGreaterThanOrEqual(1);
    const plain = await runCli(["hardware"], { dataDir: path.join(root, "hardware") });
    expect(plain.stdout).toMatch(/^backend {4}/);
    expect(plain.stdout).toMatch(/RAM .* free of /);
  });
});

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
