import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { PrefixHasher } from "../../electron/core/downloads/PrefixHasher";
import { contiguousEnd, loadSegments, planSegments, saveSegments, segmentsFile, splitLargest, writtenBytes } from "../../electron/core/downloads/segments";
import type { Download } from "../../electron/shared/modelHub";
import { applyDownloadPacket } from "../../renderer/src/lib/applyDownloadPacket";
import { tempDir } from "../support/tempDir";

const dir = tempDir("hearth-segments-");
const MB = 1 << 20;

describe("download segments", () => {
  it("shares a large file's missing bytes among the connections, and a small one goes over one", () => {
    expect(planSegments(100 * MB, 0, 4, 16 * MB)).toEqual([0, 25, 50, 75].map((m) => ({ start: m * MB, end: (m + 25) * MB, at: m * MB })));
    // Never a share under the minimum: 40 MiB at 16 MiB each makes two.
    expect(planSegments(40 * MB, 0, 4, 16 * MB)).toHaveLength(2);
    expect(planSegments(5 * MB, 0, 4, 16 * MB)).toEqual([{ start: 0, end: 5 * MB, at: 0 }]);
    // A plain .part's bytes are a finished prefix; only the rest is shared out.
    const resumed = planSegments(100 * MB, 36 * MB, 4, 16 * MB);
    expect(resumed[0]).toEqual({ start: 0, end: 36 * MB, at: 36 * MB });
    expect(resumed.slice(1).map((s) => s.end - s.start)).toEqual([16 * MB, 16 * MB, 16 * MB, 16 * MB]);
    expect(planSegments(10, 10, 4, 1)).toEqual([{ start: 0, end: 10, at: 10 }]);
  });

  it("knows the gap-free prefix and the bytes written, and splits the largest remainder for an idle connection", () => {
    const segments = planSegments(400, 0, 4, 10);
    segments[0]!.at = 60;
    segments[1]!.at = 150;
    expect(contiguousEnd(segments)).toBe(60);
    expect(writtenBytes(segments)).toBe(110);
    segments[0]!.at = 100;
    expect(contiguousEnd(segments)).toBe(150);
    // The segment [200, 300) has all 100 bytes left, the most: its back half goes to the idle connection.
    const taken = splitLargest(segments, 10);
    expect(taken).toEqual({ start: 250, end: 300, at: 250 });
    expect(segments[2]).toEqual({ start: 200, end: 250, at: 200 });
    // Nothing is split into pieces under the minimum.
    expect(splitLargest([{ start: 0, end: 30, at: 15 }], 10)).toBeNull();
  });

  it("keeps its record beside the .part and refuses one that does not describe the file", async () => {
    const part = path.join(dir, "model.gguf.part");
    const segments = planSegments(1000, 0, 2, 100);
    segments[1]!.at = 700;
    await saveSegments(part, 1000, segments);
    expect(await loadSegments(part, 1000)).toEqual(segments);
    expect(await loadSegments(part, 999)).toBeNull();
    fs.writeFileSync(segmentsFile(part), JSON.stringify({ size: 1000, segments: [{ start: 0, end: 2000, at: 0 }] }));
    expect(await loadSegments(part, 1000)).toBeNull();
    fs.writeFileSync(segmentsFile(part), "{ half a reco");
    expect(await loadSegments(part, 1000)).toBeNull();
    expect(await loadSegments(path.join(dir, "none.part"), 1000)).toBeNull();
  });
});

describe("PrefixHasher", () => {
  const bytes = Buffer.from(Array.from({ length: 3_000_000 }, (_, i) => (i * 31) % 251));
  const expected = createHash("sha256").update(bytes).digest("hex");

  it("hashes in order what arrives out of order: from memory at the prefix's end, from disk past a gap", async () => {
    const file = path.join(dir, "out-of-order.part");
    const fd = fs.openSync(file, "w");
    const segments = planSegments(bytes.length, 0, 3, 1);
    const hasher = new PrefixHasher(file, () => contiguousEnd(segments));
    // The last two segments arrive first (the hasher cannot use them yet), then the first, in chunks.
    for (const segment of [segments[2]!, segments[1]!, segments[0]!]) {
      for (let at = segment.start; at < segment.end; at += 65_536) {
        const chunk = bytes.subarray(at, Math.min(at + 65_536, segment.end));
        hasher.offer(at, chunk);
        fs.writeSync(fd, chunk, 0, chunk.length, at);
        segment.at = at + chunk.length;
        void hasher.follow();
      }
    }
    fs.closeSync(fd);
    expect(await hasher.digest(bytes.length)).toBe(expected);
  });

  it("covers a resumed file's earlier bytes, and says so when the file is short", async () => {
    const file = path.join(dir, "resumed.part");
    fs.writeFileSync(file, bytes.subarray(0, 1_000_000));
    let written = 1_000_000;
    const hasher = new PrefixHasher(file, () => written);
    void hasher.follow();
    const fd = fs.openSync(file, "r+");
    for (let at = written; at < bytes.length; at += 100_000) {
      const chunk = bytes.subarray(at, at + 100_000);
      hasher.offer(at, chunk);
      fs.writeSync(fd, chunk, 0, chunk.length, at);
      written = at + chunk.length;
      await hasher.follow();
    }
    fs.closeSync(fd);
    expect(await hasher.digest(bytes.length)).toBe(expected);

    const short = path.join(dir, "short.part");
    fs.writeFileSync(short, bytes.subarray(0, 10));
    await expect(new PrefixHasher(short, () => 20).digest(20)).rejects.toThrow(/shorter than the 20 bytes/);
    await expect(new PrefixHasher(short, () => 10).digest(20)).rejects.toThrow(/only 10 of 20 bytes/);
  });
});

describe("applyDownloadPacket", () => {
  const base: Download = {
    id: "a",
    repo: "o/r",
    quant: "Q4_K_M",
    files: [],
    totalBytes: 100,
    receivedBytes: 0,
    status: "running",
    bytesPerSecond: null,
    etaSeconds: null,
    message: null,
    error: null,
    modelId: null,
    createdAt: 1,
  };

  it("a progress report that trails a cancel never moves the stopped bar", () => {
    const cancelled = applyDownloadPacket([{ ...base, receivedBytes: 40 }], { type: "status", download: { ...base, status: "cancelled", receivedBytes: 0 } });
    const late = applyDownloadPacket(cancelled, { type: "progress", id: "a", receivedBytes: 39, bytesPerSecond: 5, etaSeconds: 12 });
    expect(late[0]).toMatchObject({ status: "cancelled", receivedBytes: 0 });
  });

  it("patches progress, replaces or adds on a status, drops on removal", () => {
    let list = applyDownloadPacket([], { type: "status", download: base });
    list = applyDownloadPacket(list, { type: "progress", id: "a", receivedBytes: 40, bytesPerSecond: 10, etaSeconds: 6 });
    expect(list).toEqual([{ ...base, receivedBytes: 40, bytesPerSecond: 10, etaSeconds: 6 }]);
    list = applyDownloadPacket(list, { type: "status", download: { ...base, id: "b" } });
    expect(list.map((d) => d.id)).toEqual(["b", "a"]);
    list = applyDownloadPacket(list, { type: "status", download: { ...base, status: "done", receivedBytes: 100 } });
    expect(list[1]).toMatchObject({ status: "done", receivedBytes: 100 });
    expect(applyDownloadPacket(list, { type: "removed", id: "a" }).map((d) => d.id)).toEqual(["b"]);
  });
});
