// The protocol both sides of the chat benchmark speak (directChat.mjs, hearthChat.ts), in one place.
// Warm-up turns run until BENCH_WARMUP_TOKENS tokens were generated or BENCH_WARMUP_MS passed (at
// least one turn): a fresh process speeds up over its first few thousand tokens as V8 optimizes
// the per-token JavaScript (seen at stories260K speed: ~1,300 tok/s on the first turn, ~1,900 from
// the fifth), and a side measured on that ramp measures its JIT, not its steady speed. Counted in
// tokens, not time, so a side that started later or shared the CPU warms up as much. Then "ready"
// with the first warm-up turn (the speed of a first reply after load), and one measured turn per
// "turn" line.
import readline from "node:readline";

export async function serveTurns(turn) {
  const warmupTokens = Number(process.env.BENCH_WARMUP_TOKENS ?? 5000);
  const warmupMs = Number(process.env.BENCH_WARMUP_MS ?? 10_000);
  const started = performance.now();
  const first = await turn();
  let tokens = first.completionTokens ?? 0;
  while (tokens < warmupTokens && performance.now() - started < warmupMs) tokens += (await turn()).completionTokens ?? 0;
  console.log(`ready ${JSON.stringify(first)}`);
  for await (const line of readline.createInterface({ input: process.stdin })) {
    if (line.trim() === "turn") console.log(JSON.stringify(await turn()));
  }
}
