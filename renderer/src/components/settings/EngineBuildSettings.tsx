import { Cpu, Square, Trash2 } from "lucide-react";
import type { EngineBuildReport } from "../../../../electron/shared/contract";
import { useEngineBuild } from "../../hooks/useEngineBuild";
import { Button } from "../ui/Button";

const PHASES = { source: "Copying llama.cpp's source", compile: "Building llama.cpp for this processor", compare: "Comparing it with the prebuilt binary" };

/**
 * The llama.cpp binary engines load, and "Optimize for this machine": a local build, benched
 * against the prebuilt binary on a model and kept only when it generates faster.
 */
export function EngineBuildSettings() {
  const { status, optimize, cancel, use, remove } = useEngineBuild();
  if (!status) return <p className="text-fg-muted">Reading the engine's binaries…</p>;
  const { job, report, problem } = status;
  return (
    <div className="flex max-w-2xl flex-col gap-3" data-testid="engine-build">
      <p>
        In use:{" "}
        <strong data-testid="engine-binary">{status.using === "local" ? "the local build, made on this machine" : "node-llama-cpp's prebuilt binary"}</strong>
      </p>
      {job ? (
        <div className="flex flex-wrap items-center gap-3" aria-live="polite">
          <span>{PHASES[job.phase]}</span>
          {/* A drawn bar, as the downloads' (a <progress> ignores the theme's accent in Chromium). */}
          <div
            role="progressbar"
            aria-label={PHASES[job.phase]}
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={Math.round(job.done * 100)}
            className="h-1.5 w-48 overflow-hidden rounded bg-muted"
          >
            <div className="h-full bg-accent" style={{ width: `${job.done * 100}%` }} />
          </div>
          <span className="tabular-nums text-fg-muted">
            {Math.round(job.done * 100)}%{job.etaSeconds !== null && ` · about ${formatEta(job.etaSeconds)} left`}
          </span>
          <Button size="sm" variant="ghost" onClick={() => void cancel()}>
            <Square size={13} /> Stop
          </Button>
        </div>
      ) : (
        <div className="flex flex-wrap items-center gap-2">
          <Button size="sm" disabled={problem !== null} onClick={() => void optimize()} aria-describedby={problem ? "engine-build-problem" : undefined}>
            <Cpu size={13} /> Optimize for this machine
          </Button>
          {status.localBuild && status.using === "prebuilt" && (
            <Button size="sm" variant="ghost" onClick={() => void use("local")}>
              Use the local build
            </Button>
          )}
          {status.using === "local" && (
            <Button size="sm" variant="ghost" onClick={() => void use("prebuilt")}>
              Go back to the prebuilt binary
            </Button>
          )}
          {status.localBuild && (
            <Button size="sm" variant="ghost" onClick={() => void remove()}>
              <Trash2 size={13} /> Remove the local build
            </Button>
          )}
        </div>
      )}
      {problem && (
        <p id="engine-build-problem" className="text-fg-muted">
          {problem}
        </p>
      )}
      {status.error && status.error.code !== "ABORTED" && <p className="whitespace-pre-wrap text-danger">{status.error.message}</p>}
      {report && <Comparison report={report} />}
    </div>
  );
}

/** The last comparison as bars: generation speed of each binary on the same model, and what was kept. */
function Comparison({ report }: { report: EngineBuildReport }) {
  const rows = [
    { name: "Prebuilt", speed: report.prebuilt },
    { name: "Local build", speed: report.local },
  ];
  const top = Math.max(report.prebuilt.tg, report.local?.tg ?? 0) || 1;
  return (
    <figure className="rounded-lg border border-border p-3" aria-label="Generation speed of each binary">
      <figcaption className="mb-2 font-medium">
        Generation on {report.model} · {new Date(report.at).toLocaleString()}
      </figcaption>
      <ul className="flex flex-col gap-1.5">
        {rows.map(({ name, speed }) => (
          <li key={name} className="grid grid-cols-[6.5rem_1fr_7rem] items-center gap-2">
            <span>{name}</span>
            <span className="h-3 rounded bg-muted">
              {speed && <span className="block h-3 rounded bg-accent" style={{ width: `${(speed.tg / top) * 100}%` }} />}
            </span>
            <span className="tabular-nums text-fg-muted">{speed ? `${speed.tg.toFixed(1)} tok/s` : "failed"}</span>
          </li>
        ))}
      </ul>
      <p className="mt-2" data-testid="engine-build-reason">
        {report.reason}
      </p>
    </figure>
  );
}

function formatEta(seconds: number): string {
  return seconds < 60 ? `${Math.max(1, Math.round(seconds))} s` : `${Math.round(seconds / 60)} min`;
}
