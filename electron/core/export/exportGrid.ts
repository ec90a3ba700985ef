import type ExcelJS from "exceljs";
import type { GridCell, GridView } from "../../shared/grids";
import { describeSources, displayValue } from "../../shared/gridValues";

export type GridExportFormat = "csv" | "xlsx" | "json";

/** What the source column beside a value says: the document and page, or why there is no value. */
function sourceText(cell: GridCell | undefined): string {
  if (!cell) return "not answered";
  if (cell.status === "failed") return `failed: ${cell.error?.message ?? "unknown error"}`;
  const where = describeSources(cell.citations);
  if (cell.edited) return where ? `${where} (edited by hand)` : "edited by hand";
  return cell.value === null ? "not in the document" : where;
}

/** A value as a spreadsheet cell: numbers stay numbers and dates become dates (XLSX), the rest as read. */
function sheetValue(value: unknown, typed: boolean): ExcelJS.CellValue {
  if (typed && typeof value === "number") return value;
  if (typed && typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value)) return new Date(`${value}T00:00:00Z`);
  return displayValue(value);
}

function table(view: GridView, typed: boolean): { header: string[]; rows: ExcelJS.CellValue[][] } {
  const cells = new Map(view.cells.map((cell) => [`${cell.documentId} ${cell.columnId}`, cell]));
  const header = ["Document", ...view.grid.columns.flatMap((column) => [column.label, `${column.label} (source)`])];
  const rows = view.rows.map((row) => [
    row.name,
    ...view.grid.columns.flatMap((column) => {
      const cell = cells.get(`${row.id} ${column.id}`);
      return [cell?.status === "done" ? sheetValue(cell.value, typed) : "", sourceText(cell)];
    }),
  ]);
  return { header, rows };
}

/**
 * A review grid as a file. CSV: one row per document, each column's value with its source
 * (document, page) beside it. XLSX: the same with typed cells, and a second sheet quoting every
 * passage cited. JSON: the grid, its rows and cells as stored.
 */
export async function exportGrid(view: GridView, format: GridExportFormat): Promise<{ filename: string; content: string; encoding: "utf8" | "base64" }> {
  const base = view.grid.name.replace(/[^\w.-]+/g, "-").replace(/^-|-$/g, "") || "grid";
  if (format === "json") {
    return { filename: `${base}.json`, content: `${JSON.stringify({ grid: view.grid, rows: view.rows, cells: view.cells }, null, 2)}\n`, encoding: "utf8" };
  }
  // Loaded when a grid is exported: the app and the CLI start without it.
  const { default: Excel } = await import("exceljs");
  const workbook = new Excel.Workbook();
  const sheet = workbook.addWorksheet("Grid");
  const { header, rows } = table(view, format === "xlsx");
  sheet.addRow(header);
  for (const row of rows) sheet.addRow(row);
  if (format === "csv") {
    const buffer = await workbook.csv.writeBuffer({ sheetName: "Grid", formatterOptions: { rowDelimiter: "\n" } });
    return { filename: `${base}.csv`, content: Buffer.from(buffer).toString("utf8"), encoding: "utf8" };
  }
  sheet.getRow(1).font = { bold: true };
  sheet.views = [{ state: "frozen", xSplit: 1, ySplit: 1 }];
  sheet.columns.forEach((column, i) => {
    column.width = i === 0 ? 32 : 24;
  });
  sheet.eachRow((row) =>
    row.eachCell((cell) => {
      if (cell.value instanceof Date) cell.numFmt = "yyyy-mm-dd";
    }),
  );
  const sources = workbook.addWorksheet("Sources");
  sources.addRow(["Document", "Column", "Value", "Source", "Page", "Quote"]);
  sources.getRow(1).font = { bold: true };
  const names = new Map(view.rows.map((row) => [row.id, row.name]));
  const labels = new Map(view.grid.columns.map((column) => [column.id, column.label]));
  for (const cell of view.cells) {
    for (const citation of cell.citations) {
      sources.addRow([
        names.get(cell.documentId) ?? "",
        labels.get(cell.columnId) ?? "",
        displayValue(cell.value),
        citation.documentName,
        citation.page,
        citation.quote,
      ]);
    }
  }
  sources.columns.forEach((column, i) => {
    column.width = i === 5 ? 80 : 20;
  });
  const buffer = await workbook.xlsx.writeBuffer();
  return { filename: `${base}.xlsx`, content: Buffer.from(buffer).toString("base64"), encoding: "base64" };
}
