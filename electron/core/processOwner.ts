import fs from "node:fs";

/**
 * A process that owns a row (a streaming reply, a running download or bench): its pid, and on
 * Linux its start time, so a pid the kernel handed to another program later is not taken for it.
 */
export interface ProcessOwner {
  pid: number;
  /** Clock ticks after boot at which the process started (Linux); null where it cannot be read. */
  startedAt: number | null;
}

let self: ProcessOwner | null = null;

export function currentOwner(): ProcessOwner {
  self ??= { pid: process.pid, startedAt: startTicks(process.pid) };
  return self;
}

/**
 * Whether the owner still runs. Crash recovery touches a row only when this is false: another
 * Hearth on the same data folder (the app while the CLI starts) keeps its live work.
 */
export function ownerAlive(pid: number | null, startedAt: number | null): boolean {
  if (pid === null) return false;
  if (pid === process.pid) {
    // Without a start time this may be an earlier process that had our pid: it is gone.
    const mine = currentOwner().startedAt;
    return mine !== null && startedAt === mine;
  }
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  const now = startTicks(pid);
  return startedAt === null || now === null || now === startedAt;
}

/** Field 22 of /proc/PID/stat (after the command name, which may hold spaces and parentheses). */
function startTicks(pid: number): number | null {
  if (process.platform !== "linux") return null;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const value = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19]);
    return Number.isFinite(value) ? value : null;
  } catch {
    return null;
  }
}
