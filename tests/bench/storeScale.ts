/**
 * The store at scale: a database of 10,000 conversations and 200,000 messages (text drawn from a
 * Zipf-like vocabulary, so common words are common), then list, search-as-you-type (each prefix of
 * a common and a rare word), open and export, timed in this process (which is also the one that
 * serves IPC in the app). Targets: list p95 under 5 ms; search p95 under 20 ms.
 * `BENCH_CONVERSATIONS`, `BENCH_MESSAGES_PER` and `BENCH_REPS` adjust it.
 */
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { exportConversation } from "../../electron/core/export/exportConversation";
import { ConversationStore } from "../../electron/core/store/ConversationStore";
import { openDatabase } from "../../electron/core/store/openDatabase";
import { zipfWords } from "./benchSupport";

const CONVERSATIONS = Number(process.env.BENCH_CONVERSATIONS ?? 10_000);
const MESSAGES_PER = Number(process.env.BENCH_MESSAGES_PER ?? 20);
const REPS = Number(process.env.BENCH_REPS ?? 50);

export async function storeScale(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-storescale-"));
  try {
    const db = openDatabase(path.join(dir, "hearth.db"));
    const started = performance.now();
    const { common, rare } = fill(db);
    const fillSeconds = (performance.now() - started) / 1000;
    const store = new ConversationStore(db);
    const conversations = store.listConversations(CONVERSATIONS);
    console.log(
      `\nstoreScale: ${CONVERSATIONS.toLocaleString("en-US")} conversations, ${(CONVERSATIONS * MESSAGES_PER).toLocaleString("en-US")} messages (filled in ${fillSeconds.toFixed(1)} s); ${REPS} runs each, ms`,
    );
    report("list (the sidebar's first page)", () => store.listConversations(), 5);
    for (const word of [common, rare]) {
      const prefixes = Array.from({ length: word.length }, (_, i) => word.slice(0, i + 1)).filter((p) => p.length >= 2);
      report(
        `search as you type "${word}" (${prefixes.length} prefixes)`,
        () => {
          for (const p of prefixes) store.searchConversations(p);
        },
        20 * prefixes.length,
        prefixes.length,
      );
    }
    report("open (the branch's last window)", () => store.branchView(conversations[REPS % conversations.length]!.id, {}));
    report("export as Markdown", () => exportConversation(conversations[7]!, store.listMessages(conversations[7]!.id), "md"));
    db.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Times `run` REPS times after a warm-up; per-call figures when it makes `calls` calls. */
function report(name: string, run: () => unknown, targetMs?: number, calls = 1): void {
  run();
  const times: number[] = [];
  for (let i = 0; i < REPS; i++) {
    const t = performance.now();
    run();
    times.push((performance.now() - t) / calls);
  }
  times.sort((a, b) => a - b);
  const p50 = times[Math.floor(REPS * 0.5)]!;
  const p95 = times[Math.min(REPS - 1, Math.floor(REPS * 0.95))]!;
  const target =
    targetMs === undefined
      ? ""
      : `  ${p95 <= targetMs / calls ? "met" : "NOT met"} (p95 target ${(targetMs / calls).toFixed(0)} ms${calls > 1 ? " a keystroke" : ""})`;
  console.log(`  ${name.padEnd(48)} p50 ${p50.toFixed(2).padStart(7)}  p95 ${p95.toFixed(2).padStart(7)}${target}`);
}

/** Fills the database directly (one transaction), as years of use would. Returns a common and a rare word. */
function fill(db: ReturnType<typeof openDatabase>): { common: string; rare: string } {
  const { vocabulary, word } = zipfWords();
  const sentence = (words: number) => Array.from({ length: words }, word).join(" ");
  const insertConversation = db.prepare(
    `INSERT INTO conversations (id, title, created_at, updated_at, sampling_json, active_leaf_id) VALUES (?, ?, ?, ?, '{}', ?)`,
  );
  const insertMessage = db.prepare(
    `INSERT INTO messages (id, conversation_id, parent_id, role, content, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'complete', ?, ?)`,
  );
  db.transaction(() => {
    let at = Date.parse("2024-01-01");
    for (let c = 0; c < CONVERSATIONS; c++) {
      const id = randomUUID();
      const messageIds = Array.from({ length: MESSAGES_PER }, () => randomUUID());
      insertConversation.run(id, sentence(5), at, at + MESSAGES_PER * 1000, messageIds.at(-1)!);
      messageIds.forEach((messageId, i) => {
        at += 1000;
        insertMessage.run(messageId, id, i === 0 ? null : messageIds[i - 1]!, i % 2 === 0 ? "user" : "assistant", sentence(i % 2 === 0 ? 15 : 80), at, at);
      });
    }
  })();
  return { common: vocabulary[3]!, rare: vocabulary[5000]! };
}
