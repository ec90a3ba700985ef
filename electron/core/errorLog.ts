import fs from "node:fs";
import path from "node:path";

/** The log stays small: past this it is rotated (hearth.log → hearth.log.1 …). */
const MAX_BYTES = 1024 * 1024;
const KEEP = 3;
const MAX_MESSAGE_CHARS = 500;

let logFile: string | null = null;

/** Where bugs are written: `<data dir>/logs/hearth.log`. Set once the data folder is known. */
export function openErrorLog(logsDir: string): void {
  logFile = path.join(logsDir, "hearth.log");
}

export function errorLogPath(): string | null {
  return logFile;
}

/**
 * Writes an unexpected error (a bug) with its stack to the log. Never message text or secrets:
 * error messages are cut short and anything shaped like a token is blanked out. Never throws.
 */
export function logError(error: unknown, context = ""): void {
  const entry = `${new Date().toISOString()} ${context ? `[${context}] ` : ""}${summarize(error)}\n`;
  if (!logFile) {
    process.stderr.write(entry);
    return;
  }
  try {
    fs.mkdirSync(path.dirname(logFile), { recursive: true, mode: 0o700 });
    rotate(logFile);
    fs.appendFileSync(logFile, entry, { mode: 0o600 });
  } catch {
    process.stderr.write(entry); // the data folder is unwritable: stderr is all there is
  }
}

function summarize(error: unknown): string {
  if (!(error instanceof Error)) return redact(String(error)).slice(0, MAX_MESSAGE_CHARS);
  const message = redact(error.message).slice(0, MAX_MESSAGE_CHARS);
  const frames = (error.stack ?? "").split("\n").filter((line) => /^\s+at /.test(line));
  const code = (error as NodeJS.ErrnoException).code;
  return [`${error.name}${code ? ` (${code})` : ""}: ${message}`, ...frames.map(redact)].join("\n");
}

/** Hugging Face tokens, bearer tokens and `token=` parameters, wherever they hide. */
export function redact(text: string): string {
  return text
    .replace(/hf_[A-Za-z0-9]{8,}/g, "hf_…")
    .replace(/(Bearer\s+)\S+/gi, "$1…")
    .replace(/([?&#]token=)[^&\s]+/gi, "$1…");
}

function rotate(file: string): void {
  let size = 0;
  try {
    size = fs.statSync(file).size;
  } catch {
    return;
  }
  if (size < MAX_BYTES) return;
  for (let n = KEEP - 1; n >= 1; n--) {
    try {
      fs.renameSync(`${file}.${n}`, `${file}.${n + 1}`);
    } catch {
      // that generation does not exist yet
    }
  }
  fs.renameSync(file, `${file}.1`);
}
