import { benchRunSchema, type BenchRow, type BenchRun, type BenchRunSummary } from "../../shared/contract";
import { HearthError } from "../../shared/errors";
import { currentOwner, ownerAlive } from "../processOwner";
import type { Db } from "../store/openDatabase";

interface RunRow {
  id: string;
  created_at: number;
  finished_at: number | null;
  status: BenchRun["status"];
  spec_json: string;
  hardware_json: string | null;
}

/** Bench runs and their rows. A row is saved whole (JSON) each time it changes. */
export class BenchStore {
  constructor(private readonly db: Db) {}

  createRun(run: BenchRun): void {
    this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO bench_runs (id, created_at, finished_at, status, spec_json, hardware_json, owner_pid, owner_started) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          run.id,
          run.createdAt,
          run.finishedAt,
          run.status,
          JSON.stringify(run.spec),
          run.hardware ? JSON.stringify(run.hardware) : null,
          currentOwner().pid,
          currentOwner().startedAt,
        );
      for (const row of run.rows) this.saveRow(run.id, row);
    })();
  }

  saveRow(runId: string, row: BenchRow): void {
    this.db.prepare(`INSERT OR REPLACE INTO bench_rows (run_id, idx, row_json) VALUES (?, ?, ?)`).run(runId, row.index, JSON.stringify(row));
  }

  finishRun(run: Pick<BenchRun, "id" | "status" | "finishedAt" | "hardware">): void {
    this.db
      .prepare(`UPDATE bench_runs SET status = ?, finished_at = ?, hardware_json = ? WHERE id = ?`)
      .run(run.status, run.finishedAt, run.hardware ? JSON.stringify(run.hardware) : null, run.id);
  }

  getRun(id: string): BenchRun {
    const run = this.db.prepare<[string], RunRow>(`SELECT * FROM bench_runs WHERE id = ?`).get(id);
    if (!run) throw new HearthError("NOT_FOUND", `No bench run with id ${id}.`);
    const rows = this.db.prepare<[string], { row_json: string }>(`SELECT row_json FROM bench_rows WHERE run_id = ? ORDER BY idx`).all(id);
    return benchRunSchema.parse({ ...fromRunRow(run), rows: rows.map((row) => JSON.parse(row.row_json)) });
  }

  listRuns(): BenchRunSummary[] {
    const runs = this.db.prepare<[], RunRow>(`SELECT * FROM bench_runs ORDER BY created_at DESC`).all();
    // One read of every row, grouped here, rather than one query a run.
    const rowsByRun = new Map<string, BenchRow[]>();
    for (const { run_id, row_json } of this.db
      .prepare<[], { run_id: string; row_json: string }>(`SELECT run_id, row_json FROM bench_rows ORDER BY run_id, idx`)
      .all()) {
      const rows = rowsByRun.get(run_id) ?? [];
      rows.push(JSON.parse(row_json) as BenchRow);
      rowsByRun.set(run_id, rows);
    }
    return runs.map((run) => {
      const rows = rowsByRun.get(run.id) ?? [];
      return { ...fromRunRow(run), models: [...new Set(rows.map((row) => row.modelName))], rowCount: rows.length };
    });
  }

  deleteRun(id: string): void {
    const { changes } = this.db.prepare(`DELETE FROM bench_runs WHERE id = ?`).run(id);
    if (changes === 0) throw new HearthError("NOT_FOUND", `No bench run with id ${id}.`);
  }

  /** Runs left "running" by a process that is gone (a crash, a kill): their unfinished rows say so. A live one's run goes on. */
  markAbandonedRunsInterrupted(): void {
    const running = this.db
      .prepare<[], { id: string; owner_pid: number | null; owner_started: number | null }>(
        `SELECT id, owner_pid, owner_started FROM bench_runs WHERE status = 'running'`,
      )
      .all();
    for (const { id, owner_pid, owner_started } of running) {
      if (ownerAlive(owner_pid, owner_started)) continue;
      const run = this.getRun(id);
      this.db.transaction(() => {
        for (const row of run.rows) {
          if (row.status === "pending" || row.status === "running")
            this.saveRow(id, { ...row, status: "error", error: { code: "ABORTED", message: "Interrupted: Hearth stopped during the run." } });
        }
        this.finishRun({ id, status: "interrupted", finishedAt: Date.now(), hardware: run.hardware });
      })();
    }
  }
}

function fromRunRow(run: RunRow) {
  return {
    id: run.id,
    createdAt: run.created_at,
    finishedAt: run.finished_at,
    status: run.status,
    spec: JSON.parse(run.spec_json),
    hardware: run.hardware_json ? JSON.parse(run.hardware_json) : null,
  };
}
