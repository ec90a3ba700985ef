/** Figures as people read them, the same in the app and the CLI. */

const oneDecimal = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1 });

/** 1.2 GB, 340 MB: decimal units, as disks, download sites and model cards count. */
export function formatBytes(bytes: number): string {
  const units = ["B", "KB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${oneDecimal.format(value)} ${units[unit]}`;
}

/** A parameter count: 1.5B, 135.0M, 293K. */
export function formatParams(count: number | null): string {
  if (count === null) return "?";
  if (count >= 1e9) return `${(count / 1e9).toFixed(1)}B`;
  if (count >= 1e6) return `${(count / 1e6).toFixed(1)}M`;
  if (count >= 1e3) return `${(count / 1e3).toFixed(0)}K`;
  return String(count);
}
