import fs from "node:fs/promises";
import { HearthError } from "../../shared/errors";
import { currentOwner, ownerAlive, type ProcessOwner } from "../processOwner";

export interface PartLock {
  release(): Promise<void>;
}

/**
 * Takes `<part>.lock`, so two Hearth processes (the app and the CLI, two pulls) never write into
 * one `.part`. A lock whose owner is gone (killed, crashed) is taken over; a live owner's is
 * refused with IN_USE.
 */
export async function lockPart(partPath: string): Promise<PartLock> {
  const lockPath = `${partPath}.lock`;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await fs.writeFile(lockPath, JSON.stringify(currentOwner()), { flag: "wx", mode: 0o600 });
      return { release: () => fs.rm(lockPath, { force: true }) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const holder = await readOwner(lockPath);
    if (holder && ownerAlive(holder.pid, holder.startedAt)) {
      throw new HearthError("IN_USE", `Another Hearth process (pid ${holder.pid}) is downloading this file.`, {
        suggestion: "Wait for it to finish; the model appears in the library when it does.",
      });
    }
    await fs.rm(lockPath, { force: true }); // left by a process that is gone
  }
  throw new HearthError("IN_USE", `Could not take the lock on ${partPath}.`);
}

async function readOwner(lockPath: string): Promise<ProcessOwner | null> {
  try {
    const owner = JSON.parse(await fs.readFile(lockPath, "utf8")) as Partial<ProcessOwner>;
    return typeof owner.pid === "number" ? { pid: owner.pid, startedAt: typeof owner.startedAt === "number" ? owner.startedAt : null } : null;
  } catch {
    return null; // half-written by a process killed mid-write: stale
  }
}
