import { createHash, randomBytes } from "node:crypto";
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { HashingFileWriter } from "../../electron/core/downloads/HashingFileWriter";
import { WriterThreads } from "../../electron/core/downloads/WriterThreads";
import type { Download } from "../../electron/shared/modelHub";
import { applyDownloadPacket } from "../../renderer/src/lib/applyDownloadPacket";
import { tempDir } from "../support/tempDir";

const dir = tempDir("hearth-writer-");
const run = promisify(execFile);

/** Until the writer thread has taken the file over (the ring is offered from then on). */
async function untilThreadWrites(writer: HashingFileWriter): Promise<void> {
  for (const started = Date.now(); !writer.receiveArea(); ) {
    if (Date.now() - started > 10_000) throw new Error("the writer thread never took over");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("HashingFileWriter", () => {
  const threads = new WriterThreads();
  afterAll(() => threads.dispose());
  const bytes = Buffer.from(Array.from({ length: 5_000_000 }, (_, i) => (i * 31) % 251));
  const expected = createHash("sha256").update(bytes).digest("hex");

  it("writes and hashes in chunks of any size, and the hash of a resumed file covers its earlier bytes", async () => {
    const whole = path.join(dir, "whole.part");
    const writer = new HashingFileWriter(whole, 0, threads);
    // A thread just started: until it is up, the bytes are hashed and written here, not in the ring.
    expect(writer.receiveArea()).toBeNull();
    for (let at = 0; at < bytes.length; at += 65_536 + 7) await writer.write(bytes.subarray(at, Math.min(bytes.length, at + 65_536 + 7)));
    expect(await writer.close()).toBe(expected);
    expect(fs.readFileSync(whole).equals(bytes)).toBe(true);

    const resumed = path.join(dir, "resumed.part");
    fs.writeFileSync(resumed, bytes.subarray(0, 1_234_567));
    const rest = new HashingFileWriter(resumed, 1_234_567, threads);
    await rest.write(bytes.subarray(1_234_567));
    expect(await rest.close()).toBe(expected);
    expect(fs.readFileSync(resumed).equals(bytes)).toBe(true);
  });

  it("keeps order through its 16 MiB ring and the bytes waiting for room, in place or copied", async () => {
    const big = randomBytes(40 << 20);
    const bigHash = createHash("sha256").update(big).digest("hex");

    // Everything handed over at once, never awaiting: the ring fills and the rest queues in order.
    const queued = path.join(dir, "queued.part");
    const writer = new HashingFileWriter(queued, 0, threads);
    await untilThreadWrites(writer);
    const pending: Promise<void>[] = [];
    for (let at = 0; at < big.length; at += 1_000_003) pending.push(writer.write(big.subarray(at, at + 1_000_003)) ?? Promise.resolve());
    await Promise.all(pending);
    expect(await writer.close()).toBe(bigHash);
    expect(fs.readFileSync(queued).equals(big)).toBe(true);

    // As a socket would: received straight into the ring's free area when one is offered.
    const inPlace = path.join(dir, "in-place.part");
    const direct = new HashingFileWriter(inPlace, 0, threads);
    await untilThreadWrites(direct); // at once: the thread of the download above, kept
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
    const writer = new HashingFileWriter(path.join(dir, "small.part"), 0, threads);
    await writer.write(chunk);
    chunk.write("HELLO"); // the caller may reuse its buffer at once: the bytes were copied
    expect(await writer.close()).toBe(createHash("sha256").update("hello").digest("hex"));
    const broken = new HashingFileWriter(path.join(dir, "missing-folder", "x.part"), 0, threads);
    await expect(broken.write(chunk)).rejects.toThrow(/Writing .*x\.part failed/);
    await expect(broken.close()).rejects.toThrow(/Writing .*x\.part failed/);
    await broken.destroy();
  });

  it("hands a warmed thread to the next download, reuses it after a clean one, and never after a failure", async () => {
    const pool = new WriterThreads();
    try {
      pool.warm();
      const warmed = pool.take();
      const another = pool.take(); // only one spare: the next take starts another
      expect(another).not.toBe(warmed);
      await another.end();
      pool.give(warmed);
      expect(pool.take()).toBe(warmed);
      pool.give(warmed);

      // Two downloads in a row on the same thread: the second starts from a clean control block.
      const first = randomBytes(3_000_000);
      const second = randomBytes(1_000_000);
      for (const [name, data] of [
        ["first.part", first],
        ["second.part", second],
      ] as const) {
        const writer = new HashingFileWriter(path.join(dir, name), 0, pool);
        await untilThreadWrites(writer);
        await writer.write(data);
        expect(await writer.close()).toBe(createHash("sha256").update(data).digest("hex"));
        expect(fs.readFileSync(path.join(dir, name)).equals(data)).toBe(true);
      }
      const reused = pool.take();
      expect(reused).toBe(warmed); // it wrote both and came back each time
      pool.give(reused);

      const stopped = new HashingFileWriter(path.join(dir, "stopped.part"), 0, pool);
      await stopped.destroy();
      expect(pool.take()).not.toBe(reused);
    } finally {
      await pool.dispose();
    }
  });

  it("lets the process exit while a spare thread waits", async () => {
    const script = `import { WriterThreads } from ${JSON.stringify(path.resolve("electron/core/downloads/WriterThreads.ts"))};
      new WriterThreads().warm(); setTimeout(() => console.log("still here"), 100);`;
    const started = Date.now();
    const { stdout } = await run(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { timeout: 20_000 });
    expect(stdout.trim()).toBe("still here");
    expect(Date.now() - started).toBeLessThan(15_000); // not the spare's minute
  }, 30_000);
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
