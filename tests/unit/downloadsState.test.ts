import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { HashingFileWriter } from "../../electron/core/downloads/HashingFileWriter";
import type { Download } from "../../electron/shared/modelHub";
import { applyDownloadPacket } from "../../renderer/src/lib/applyDownloadPacket";
import { tempDir } from "../support/tempDir";

const dir = tempDir("hearth-writer-");

describe("HashingFileWriter", () => {
  const bytes = Buffer.from(Array.from({ length: 5_000_000 }, (_, i) => (i * 31) % 251));
  const expected = createHash("sha256").update(bytes).digest("hex");

  it("writes and hashes in chunks of any size, and the hash of a resumed file covers its earlier bytes", async () => {
    const whole = path.join(dir, "whole.part");
    const writer = new HashingFileWriter(whole, 0);
    for (let at = 0; at < bytes.length; at += 65_536 + 7) await writer.write(bytes.subarray(at, Math.min(bytes.length, at + 65_536 + 7)));
    expect(await writer.close()).toBe(expected);
    expect(fs.readFileSync(whole).equals(bytes)).toBe(true);

    const resumed = path.join(dir, "resumed.part");
    fs.writeFileSync(resumed, bytes.subarray(0, 1_234_567));
    const rest = new HashingFileWriter(resumed, 1_234_567);
    await rest.write(bytes.subarray(1_234_567));
    expect(await rest.close()).toBe(expected);
    expect(fs.readFileSync(resumed).equals(bytes)).toBe(true);
  });

  it("keeps order through its 16 MiB ring and the bytes waiting for room, in place or copied", async () => {
    const big = randomBytes(40 << 20);
    const bigHash = createHash("sha256").update(big).digest("hex");

    // Everything handed over at once, never awaiting: the ring fills and the rest queues in order.
    const queued = path.join(dir, "queued.part");
    const writer = new HashingFileWriter(queued, 0);
    const pending: Promise<void>[] = [];
    for (let at = 0; at < big.length; at += 1_000_003) pending.push(writer.write(big.subarray(at, at + 1_000_003)) ?? Promise.resolve());
    await Promise.all(pending);
    expect(await writer.close()).toBe(bigHash);
    expect(fs.readFileSync(queued).equals(big)).toBe(true);

    // As a socket would: received straight into the ring's free area when one is offered.
    const inPlace = path.join(dir, "in-place.part");
    const direct = new HashingFileWriter(inPlace, 0);
    let offered = 0;
    for (let at = 0; at < big.length; ) {
      const area = direct.receiveArea();
      const take = Math.min(big.length - at, area ? area.length : 300_007);
      const chunk = area ? area.subarray(0, take) : new Uint8Array(take);
      chunk.set(big.subarray(at, at + take));
      if (area) offered += take;
      at += take;
      await direct.write(chunk);
    }
    expect(await direct.close()).toBe(bigHash);
    expect(fs.readFileSync(inPlace).equals(big)).toBe(true);
    expect(offered).toBeGreaterThan(big.length / 2);
  });

  it("keeps the caller's buffer intact and fails clearly when the file cannot be opened", async () => {
    const chunk = Buffer.from("hello");
    const writer = new HashingFileWriter(path.join(dir, "small.part"), 0);
    await writer.write(chunk);
    chunk.write("HELLO"); // the caller may reuse its buffer at once: the bytes were copied
    expect(await writer.close()).toBe(createHash("sha256").update("hello").digest("hex"));
    const broken = new HashingFileWriter(path.join(dir, "missing-folder", "x.part"), 0);
    await expect(broken.write(chunk)).rejects.toThrow(/Writing .*x\.part failed/);
    await expect(broken.close()).rejects.toThrow(/Writing .*x\.part failed/);
    await broken.destroy();
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
