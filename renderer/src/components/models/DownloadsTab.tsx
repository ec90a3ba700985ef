import { Pause, Play, RotateCcw, X } from "lucide-react";
import type { Download } from "../../../../electron/shared/modelHub";
import { describeError } from "../../lib/errorMessages";
import { formatBytes, formatEta } from "../../lib/format";
import { Button } from "../ui/Button";

interface Props {
  downloads: Download[];
  onPause(id: string): void;
  onResume(id: string): void;
  onCancel(id: string): void;
  onRemove(id: string): void;
  onLoad(modelId: string): void;
}

const STATUS: Record<Download["status"], string> = {
  queued: "Waiting",
  running: "Downloading",
  retrying: "Retrying",
  paused: "Paused",
  verifying: "Verifying",
  done: "In the library",
  failed: "Failed",
  cancelled: "Cancelled",
};

/** The queue: a bar with speed and ETA for each download, what is happening in words, and the actions that apply. */
export function DownloadsTab({ downloads, onPause, onResume, onCancel, onRemove, onLoad }: Props) {
  if (downloads.length === 0) return <p className="text-sm text-fg-muted">No downloads. Find a model under Discover.</p>;
  return (
    <ul className="space-y-2" aria-label="Downloads">
      {downloads.map((d) => {
        const percent = d.totalBytes > 0 ? (d.receivedBytes / d.totalBytes) * 100 : 0;
        const live = d.status === "running" || d.status === "retrying" || d.status === "queued" || d.status === "verifying";
        return (
          <li key={d.id} data-testid="download" data-status={d.status} className="rounded-md border border-border p-3 text-sm">
            <div className="flex items-center gap-2">
              <span className="flex-1 truncate font-medium">
                {d.repo} <span className="text-fg-muted">{d.quant}</span>
              </span>
              <span data-testid="download-status">{STATUS[d.status]}</span>
              {d.status === "done" && d.modelId && (
                <Button size="sm" variant="primary" aria-label={`Load ${d.repo} ${d.quant}`} onClick={() => onLoad(d.modelId!)}>
                  <Play size={13} /> Load
                </Button>
              )}
              {(d.status === "running" || d.status === "retrying" || d.status === "queued") && (
                <Button size="icon" variant="ghost" aria-label="Pause" onClick={() => onPause(d.id)}>
                  <Pause size={13} />
                </Button>
              )}
              {d.status === "cancelled" && (
                <Button size="sm" variant="ghost" onClick={() => onResume(d.id)}>
                  <RotateCcw size={13} /> Download again
                </Button>
              )}
              {(d.status === "paused" || d.status === "failed") && (
                <Button size="sm" variant="ghost" aria-label={d.status === "failed" ? "Retry" : "Resume"} onClick={() => onResume(d.id)}>
                  {d.status === "failed" ? <RotateCcw size={13} /> : <Play size={13} />} {d.status === "failed" ? "Retry" : "Resume"}
                </Button>
              )}
              {live || d.status === "paused" ? (
                <Button size="icon" variant="ghost" aria-label="Cancel download" onClick={() => onCancel(d.id)}>
                  <X size={13} />
                </Button>
              ) : (
                <Button size="icon" variant="ghost" aria-label="Remove from this list (the model, if downloaded, stays)" onClick={() => onRemove(d.id)}>
                  <X size={13} />
                </Button>
              )}
            </div>
            <div
              role="progressbar"
              aria-label={`Progress of ${d.repo} ${d.quant}`}
              aria-valuemin={0}
              aria-valuemax={100}
              aria-valuenow={Math.round(percent)}
              className="mt-2 h-1.5 overflow-hidden rounded bg-muted"
            >
              <div className={d.status === "failed" ? "h-full bg-danger" : "h-full bg-accent"} style={{ width: `${percent}%` }} />
            </div>
            <div className="mt-1 flex gap-4 text-xs text-fg-muted tabular-nums">
              <span data-testid="download-bytes">
                {formatBytes(d.receivedBytes)} of {formatBytes(d.totalBytes)} ({percent.toFixed(0)}%)
              </span>
              {d.status === "running" && <span data-testid="download-speed">{d.bytesPerSecond ? `${formatBytes(d.bytesPerSecond)}/s` : "measuring…"}</span>}
              {d.status === "running" && <span>ETA {formatEta(d.etaSeconds)}</span>}
            </div>
            {d.message && <p className="mt-1 text-xs">{d.message}</p>}
            {d.status === "cancelled" && <p className="mt-1 text-xs text-fg-muted">Cancelled: the partial file was deleted. Download again starts over.</p>}
            {d.error && (
              <p role="alert" className="mt-1 text-xs text-danger">
                {describeError(d.error).title}: {d.error.message}
              </p>
            )}
          </li>
        );
      })}
    </ul>
  );
}
