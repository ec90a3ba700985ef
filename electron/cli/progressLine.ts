import { formatBytes } from "./output";

/**
 * Progress on stderr: a bar redrawn in place in a terminal; plain lines otherwise (a log, CI),
 * at most one every `plainEveryMs` or on a new message.
 */
export function progressLine(plainEveryMs = 2000) {
  const tty = Boolean(process.stderr.isTTY);
  let lastPlain = 0;
  let drawn = false;
  return {
    update(label: string, done: number, total: number, bytesPerSecond: number | null, etaSeconds: number | null): void {
      const percent = total > 0 ? Math.min(100, (done / total) * 100) : 0;
      const speed = bytesPerSecond ? `${formatBytes(bytesPerSecond)}/s` : "–";
      const eta = etaSeconds !== null ? `ETA ${formatDuration(etaSeconds)}` : "";
      const figures = `${percent.toFixed(1).padStart(5)}%  ${formatBytes(done)} / ${formatBytes(total)}  ${speed}  ${eta}`.trimEnd();
      if (tty) {
        const width = 24;
        const filled = Math.round((percent / 100) * width);
        process.stderr.write(`\r\x1b[2K${label} [${"#".repeat(filled)}${"-".repeat(width - filled)}] ${figures}`);
        drawn = true;
      } else if (Date.now() - lastPlain >= plainEveryMs) {
        lastPlain = Date.now();
        process.stderr.write(`${label} ${figures}\n`);
      }
    },
    /** A line that stays (a retry, a status change). */
    note(text: string): void {
      process.stderr.write(tty && drawn ? `\r\x1b[2K${text}\n` : `${text}\n`);
      drawn = false;
    },
    end(): void {
      if (tty && drawn) process.stderr.write("\n");
      drawn = false;
    },
  };
}

export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${rest}` : `${m}:${rest}`;
}
