import { randomUUID } from "node:crypto";
import { z } from "zod";
import { citationSchema } from "../../shared/documents";
import { hearthErrorDataSchema } from "../../shared/errorSchema";
import { HearthError } from "../../shared/errors";
import { type Grid, type GridCell, type GridColumnInput, gridColumnInputSchema, gridColumnSchema } from "../../shared/grids";
import { parseColumn } from "../store/jsonColumn";
import type { Db } from "../store/openDatabase";

interface GridRow {
  id: string;
  collection_id: string;
  name: string;
  model_id: string | null;
  columns_json: string;
  created_at: number;
  updated_at: number;
}

interface CellRow {
  document_id: string;
  column_id: string;
  status: GridCell["status"];
  value_json: string | null;
  citations_json: string;
  edited: number;
  error_json: string | null;
  model_ms: number | null;
  total_ms: number | null;
  updated_at: number;
}

/** A column as given (a label, question and type), with its id when it is one the grid has. */
export type ColumnPatch = GridColumnInput & { id?: string };

/** Review grids and their answered cells. A cell absent here has not been answered yet. */
export class GridStore {
  private readonly statements;

  constructor(private readonly db: Db) {
    this.statements = {
      grid: db.prepare<[string], GridRow>(`SELECT * FROM grids WHERE id = ?`),
      grids: db.prepare<[string], GridRow>(`SELECT * FROM grids WHERE collection_id = ? ORDER BY created_at`),
      cells: db.prepare<[string], CellRow>(`SELECT * FROM grid_cells WHERE grid_id = ?`),
      cell: db.prepare<[string, string, string], CellRow>(`SELECT * FROM grid_cells WHERE grid_id = ? AND document_id = ? AND column_id = ?`),
      saveCell: db.prepare(
        `INSERT OR REPLACE INTO grid_cells (grid_id, document_id, column_id, status, value_json, citations_json, edited, error_json, model_ms, total_ms, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      deleteColumnCells: db.prepare(`DELETE FROM grid_cells WHERE grid_id = ? AND column_id = ?`),
    };
  }

  create(collectionId: string, name: string, columns: GridColumnInput[], modelId: string | null): Grid {
    const id = randomUUID();
    const now = Date.now();
    const withIds = columns.map((column) => ({ ...gridColumnInputSchema.parse(column), id: randomUUID() }));
    this.db
      .prepare(`INSERT INTO grids (id, collection_id, name, model_id, columns_json, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)`)
      .run(id, collectionId, name.trim(), modelId, JSON.stringify(withIds), now, now);
    return this.get(id);
  }

  get(id: string): Grid {
    const row = this.statements.grid.get(id);
    if (!row) throw new HearthError("NOT_FOUND", `No review grid with id ${id}.`);
    return toGrid(row);
  }

  list(collectionId: string): Grid[] {
    return this.statements.grids.all(collectionId).map(toGrid);
  }

  /**
   * Renames, sets the model, or replaces the columns. A column that keeps its id keeps its cells
   * unless its question or type changed (they answered another question); removed columns' cells go.
   */
  update(id: string, patch: { name?: string; modelId?: string; columns?: ColumnPatch[] }): Grid {
    const grid = this.get(id);
    this.db.transaction(() => {
      let columns = grid.columns;
      if (patch.columns) {
        const before = new Map(grid.columns.map((column) => [column.id, column]));
        columns = patch.columns.map((column) => {
          const earlier = column.id ? before.get(column.id) : undefined;
          if (column.id && !earlier) throw new HearthError("NOT_FOUND", `The grid has no column with id ${column.id}.`);
          return { ...gridColumnInputSchema.parse(column), id: earlier?.id ?? randomUUID() };
        });
        const kept = new Map(columns.map((column) => [column.id, column]));
        for (const old of grid.columns) {
          const now = kept.get(old.id);
          if (!now || now.question !== old.question || JSON.stringify(now.type) !== JSON.stringify(old.type)) this.statements.deleteColumnCells.run(id, old.id);
        }
      }
      this.db
        .prepare(`UPDATE grids SET name = ?, model_id = ?, columns_json = ?, updated_at = ? WHERE id = ?`)
        .run(patch.name?.trim() ?? grid.name, patch.modelId ?? grid.modelId, JSON.stringify(columns), Date.now(), id);
    })();
    return this.get(id);
  }

  delete(id: string): void {
    if (this.db.prepare(`DELETE FROM grids WHERE id = ?`).run(id).changes === 0) throw new HearthError("NOT_FOUND", `No review grid with id ${id}.`);
  }

  cells(gridId: string): GridCell[] {
    return this.statements.cells.all(gridId).map(toCell);
  }

  cell(gridId: string, documentId: string, columnId: string): GridCell | null {
    const row = this.statements.cell.get(gridId, documentId, columnId);
    return row ? toCell(row) : null;
  }

  saveCell(gridId: string, cell: Omit<GridCell, "updatedAt">): GridCell {
    const updatedAt = Date.now();
    this.statements.saveCell.run(
      gridId,
      cell.documentId,
      cell.columnId,
      cell.status,
      cell.value === undefined ? null : JSON.stringify(cell.value),
      JSON.stringify(cell.citations),
      cell.edited ? 1 : 0,
      cell.error ? JSON.stringify(cell.error) : null,
      cell.modelMs,
      cell.totalMs,
      updatedAt,
    );
    return { ...cell, updatedAt };
  }
}

function toGrid(row: GridRow): Grid {
  return {
    id: row.id,
    collectionId: row.collection_id,
    name: row.name,
    modelId: row.model_id,
    columns: parseColumn(z.array(gridColumnSchema), row.columns_json) ?? [],
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toCell(row: CellRow): GridCell {
  return {
    documentId: row.document_id,
    columnId: row.column_id,
    status: row.status,
    value: row.value_json === null ? null : JSON.parse(row.value_json),
    citations: parseColumn(z.array(citationSchema), row.citations_json) ?? [],
    edited: row.edited === 1,
    error: parseColumn(hearthErrorDataSchema, row.error_json),
    modelMs: row.model_ms,
    totalMs: row.total_ms,
    updatedAt: row.updated_at,
  };
}
