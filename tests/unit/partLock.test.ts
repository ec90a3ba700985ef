import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { lockPart } from "../../electron/core/downloads/partLock";
import { tempDir } from "../support/tempDir";

const dir = tempDir();

describe("the lock on a .part file", () => {
  it("keeps a second writer out while the first lives, and is taken over once it is gone", async () => {
    const part = path.join(dir, "model.gguf.part");
    const first = await lockPart(part);
    await expect(lockPart(part)).rejects.toMatchObject({ code: "IN_USE" });
    await first.release();
    const again = await lockPart(part);
    await again.release();

    // Held by another live process: refused, naming it.
    const other = spawn("sleep", ["30"]);
    try {
      fs.writeFileSync(`${part}.lock`, JSON.stringify({ pid: other.pid, startedAt: null }));
      await expect(lockPart(part)).rejects.toMatchObject({ code: "IN_USE", message: expect.stringContaining(`pid ${other.pid}`) });
    } finally {
      other.kill();
    }
    // Left by a process that was killed: taken over.
    fs.writeFileSync(`${part}.lock`, JSON.stringify({ pid: spawnSync(process.execPath, ["-e", "0"]).pid, startedAt: null }));
    const taken = await lockPart(part);
    await taken.release();
    // Half-written by a process killed mid-write: stale too.
    fs.writeFileSync(`${part}.lock`, '{"pi');
    await (await lockPart(part)).release();
    expect(fs.existsSync(`${part}.lock`)).toBe(false);
  });
});
