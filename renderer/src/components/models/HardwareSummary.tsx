import { Cpu, MonitorCog } from "lucide-react";
import type { HardwareInfo } from "../../../../electron/shared/modelHub";
import { formatBytes } from "../../lib/format";

/** One line on top of the Models page: what this machine runs on, and why not on a GPU when it could be. */
export function HardwareSummary({ hardware }: { hardware: HardwareInfo | null }) {
  if (!hardware) return <div className="text-sm text-fg-muted">Checking this machine…</div>;
  const backend = hardware.chosen === "cpu" ? "CPU" : hardware.chosen.toUpperCase();
  return (
    <section aria-label="Hardware" data-testid="hardware-summary" className="rounded-md border border-border bg-panel px-3 py-2 text-sm">
      <div className="flex flex-wrap items-center gap-x-4 gap-y-1 tabular-nums">
        <span className="flex items-center gap-1 font-medium">
          <MonitorCog size={14} /> Runs on {backend}
        </span>
        {hardware.gpus.length > 0 && <span>{hardware.gpus.join(", ")}</span>}
        {hardware.vram && (
          <span>
            VRAM {formatBytes(hardware.vram.freeBytes)} free of {formatBytes(hardware.vram.totalBytes)}
          </span>
        )}
        <span>
          RAM {formatBytes(hardware.ram.freeBytes)} free of {formatBytes(hardware.ram.totalBytes)}
        </span>
        <span className="flex items-center gap-1">
          <Cpu size={14} /> {hardware.cpu.physicalCores} cores · {hardware.cpu.model}
        </span>
      </div>
      {hardware.fallbackReason && <p className="mt-1 text-fg-muted">{hardware.fallbackReason}</p>}
    </section>
  );
}
