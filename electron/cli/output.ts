import { errorLogPath, logError } from "../core/errorLog";
import { HearthError, toErrorData } from "../shared/errors";

/** A usage error: the command line itself is wrong (exit code 2). */
export class UsageError extends Error {}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

const useColor = () => process.stderr.isTTY && !("NO_COLOR" in process.env);
export const dim = (text: string) => (useColor() ? `\x1b[2m${text}\x1b[22m` : text);

/**
 * One line on stderr, never a stack. An unexpected error (a bug) is written with its stack to the
 * data folder's log, whose path the line gives; HEARTH_DEBUG prints the stack here too.
 */
export function printError(error: unknown): void {
  const bug = !(error instanceof HearthError) && !(error instanceof UsageError);
  const data = error instanceof UsageError ? { message: error.message, suggestion: "See --help." } : toErrorData(error);
  if (bug) {
    logError(error, "cli");
    const log = errorLogPath();
    if (log) data.suggestion = `This is a bug in Hearth. Details were written to ${log}.`;
  }
  process.stderr.write(`hearth: ${data.message}${data.suggestion ? ` (${data.suggestion})` : ""}\n`);
  if (bug && process.env.HEARTH_DEBUG) console.error(error);
}

export function exitCodeFor(error: unknown): number {
  if (error instanceof UsageError) return 2;
  if (error instanceof HearthError && error.code === "INVALID_INPUT") return 2;
  return 1;
}

export { formatBytes } from "../shared/format";

/** Aligned columns for human-readable lists. */
export function printTable(headers: string[], rows: string[][]): void {
  const widths = headers.map((header, i) => Math.max(header.length, ...rows.map((row) => row[i]?.length ?? 0)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join("  ")
      .trimEnd();
  process.stdout.write(`${line(headers)}\n`);
  for (const row of rows) process.stdout.write(`${line(row)}\n`);
}
