import type { ModelEntry } from "../../../electron/shared/contract";
import { formatBytes } from "../../../electron/shared/format";

export { formatBytes, formatParams } from "../../../electron/shared/format";

/** What a model is called in lists: its name, quantization and size, so two files of one model differ. */
export function modelLabel(m: ModelEntry): string {
  return [m.name, m.quantization, formatBytes(m.fileSize)].filter(Boolean).join(" · ");
}

export function formatEta(seconds: number | null): string {
  if (seconds === null) return "–";
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h} h ${m} min` : m > 0 ? `${m} min ${s % 60} s` : `${s} s`;
}
