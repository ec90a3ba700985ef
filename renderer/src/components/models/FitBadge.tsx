import type { Fit } from "../../../../electron/shared/modelHub";
import { cn } from "../../lib/cn";

const LABEL: Record<Fit["verdict"], string> = { fullGpu: "Full GPU offload", partialGpu: "Partial GPU", cpuOnly: "CPU only", tooLarge: "Will not fit" };
const TONE: Record<Fit["verdict"], string> = {
  fullGpu: "bg-emerald-500/15 text-emerald-700 dark:text-emerald-300",
  partialGpu: "bg-sky-500/15 text-sky-700",
  cpuOnly: "bg-muted text-fg",
  tooLarge: "bg-danger/15 text-danger",
};

/** The fit verdict as a small coloured label; the reason is its tooltip and accessible description. */
export function FitBadge({ fit, estimate }: { fit: Pick<Fit, "verdict" | "note"> & Partial<Fit>; estimate?: boolean }) {
  const layers = fit.verdict === "partialGpu" && fit.gpuLayers !== undefined ? ` (${fit.gpuLayers}/${fit.totalLayers} layers)` : "";
  // A verdict from the name alone is marked as such: opening the repository reads the real headers.
  const label = `${estimate ? "≈ " : ""}${LABEL[fit.verdict]}${layers}`;
  return (
    <span
      data-testid="fit-verdict"
      title={fit.note}
      className={cn("inline-block rounded px-1.5 py-0.5 text-xs font-medium whitespace-nowrap", TONE[fit.verdict])}
    >
      {label}
    </span>
  );
}
