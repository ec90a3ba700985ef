import type { ArenaPacket, ArenaState, BenchPacket, BenchRun } from "./contract";

/** The arena after one packet: a state replaces it, a side's text is added to that side. */
export function applyArenaPacket(state: ArenaState | null, packet: ArenaPacket): ArenaState | null {
  if (packet.type === "state") return packet.state;
  if (!state || state.id !== packet.arenaId) return state;
  const sides: ArenaState["sides"] = [...state.sides];
  const side = sides[packet.side];
  sides[packet.side] = {
    ...side,
    text: side.text + packet.text,
    tokens: packet.tokens,
    tokensPerSecond: packet.tokensPerSecond,
    timeToFirstTokenMs: packet.timeToFirstTokenMs,
  };
  return { ...state, sides };
}

/** The bench run after one packet: a run replaces it, a row replaces its row. */
export function applyBenchPacket(run: BenchRun | null, packet: BenchPacket): BenchRun | null {
  if (packet.type === "run") return packet.run;
  if (!run || run.id !== packet.runId) return run;
  return { ...run, rows: run.rows.map((row) => (row.index === packet.row.index ? packet.row : row)) };
}
