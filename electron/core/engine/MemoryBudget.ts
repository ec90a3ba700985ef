import os from "node:os";
import { HearthError } from "../../shared/errors";
import { formatBytes } from "../../shared/format";

/** Memory a loaded model holds, as the fit estimate gives it. */
export interface ModelMemory {
  ramBytes: number;
  vramBytes: number;
}

/** An engine process as the budget sees it (EngineHost). */
export interface BudgetMember {
  /** The loaded model's name and memory, or null when none is loaded. */
  holding(): { name: string; memory: ModelMemory } | null;
  /** Whether nothing runs or waits on it: a model it holds may be unloaded. */
  idle(): boolean;
  lastUsedAt(): number;
  unload(): Promise<void>;
}

export interface BudgetLimits {
  ramBytes: number;
  /** Null where there is no GPU (or its memory is unknown): VRAM is then not counted. */
  vramBytes: number | null;
}

/** What Hearth's models may hold of the machine's RAM by default: most of it, leaving the system and the app room. */
export function defaultLimits(): BudgetLimits {
  const total = os.totalmem();
  return { ramBytes: Math.max(total * 0.5, total - 2 * 1024 ** 3) * 0.9, vramBytes: null };
}

/**
 * One memory budget for every engine process Hearth runs (chat, the API, Arena sides, bench rows,
 * documents' embedding and reranking models). Before a model loads, its estimated memory is
 * reserved: past the budget, models nobody is using are unloaded, least recently used first; when
 * that is not enough the load is refused with the reason, instead of pushing the machine to swap.
 */
export class MemoryBudget {
  private readonly members = new Set<BudgetMember>();
  /** Reservations run one at a time, so two loads cannot both count the same free memory. */
  private tail: Promise<unknown> = Promise.resolve();

  constructor(private readonly limits: () => BudgetLimits = defaultLimits) {}

  join(member: BudgetMember): () => void {
    this.members.add(member);
    return () => this.members.delete(member);
  }

  /**
   * Makes room for `need` on behalf of `requester` (whose own current model is about to be
   * replaced, so it does not count), unloading idle models of others as needed.
   */
  reserve(requester: BudgetMember, modelName: string, need: ModelMemory): Promise<void> {
    const run = this.tail.then(() => this.makeRoom(requester, modelName, need));
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async makeRoom(requester: BudgetMember, modelName: string, need: ModelMemory): Promise<void> {
    const limits = this.limits();
    for (;;) {
      const others = [...this.members].filter((m) => m !== requester && m.holding());
      const used = others.reduce(
        (sum, m) => ({ ramBytes: sum.ramBytes + m.holding()!.memory.ramBytes, vramBytes: sum.vramBytes + m.holding()!.memory.vramBytes }),
        { ramBytes: 0, vramBytes: 0 },
      );
      const ramFits = used.ramBytes + need.ramBytes <= limits.ramBytes;
      const vramFits = limits.vramBytes === null || used.vramBytes + need.vramBytes <= limits.vramBytes;
      if (ramFits && vramFits) return;
      const idle = others.filter((m) => m.idle()).sort((a, b) => a.lastUsedAt() - b.lastUsedAt());
      const victim = idle[0];
      if (!victim) throw tooBig(modelName, need, limits, others, ramFits);
      await victim.unload();
    }
  }
}

function tooBig(modelName: string, need: ModelMemory, limits: BudgetLimits, others: BudgetMember[], ramFits: boolean): HearthError {
  const what = ramFits ? "GPU memory" : "memory";
  const needed = ramFits ? need.vramBytes : need.ramBytes;
  const limit = ramFits ? limits.vramBytes! : limits.ramBytes;
  if (others.length === 0 || needed > limit) {
    return new HearthError(
      "OUT_OF_MEMORY",
      `${modelName} needs about ${formatBytes(needed)} of ${what}; Hearth's models may use ${formatBytes(limit)} on this machine.`,
      {
        suggestion: "Pick a smaller quantization or a smaller context size.",
      },
    );
  }
  const names = others.map((m) => m.holding()!.name).join(", ");
  return new HearthError("OUT_OF_MEMORY", `${modelName} needs about ${formatBytes(needed)} of ${what}, and models in use hold the rest: ${names}.`, {
    suggestion: "Wait for them to finish, or stop them (eject the chat model, stop the API), then try again.",
  });
}
