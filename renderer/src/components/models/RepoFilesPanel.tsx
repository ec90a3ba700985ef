import { Check, Download, Play, X } from "lucide-react";
import type { RepoFiles } from "../../../../electron/shared/modelHub";
import { formatBytes } from "../../lib/format";
import { Button } from "../ui/Button";
import { TableHead } from "../ui/TableHead";
import { FitBadge } from "./FitBadge";

const CONTEXT_SIZES = [2048, 4096, 8192, 16384, 32768];

interface Props {
  files: RepoFiles;
  onContextSize(contextSize: number): void;
  onDownload(key: string): void;
  /** Loads a model this repo's file already is in the library. */
  onLoad(modelId: string): void;
  onClose(): void;
}

/** A repo's models by quantization: size, estimated memory at the chosen context, the verdict, and Download. */
export function RepoFilesPanel({ files, onContextSize, onDownload, onLoad, onClose }: Props) {
  return (
    <section aria-label={`Files of ${files.repo}`} data-testid="repo-files" className="rounded-md border border-border p-3">
      <div className="mb-2 flex items-center gap-2">
        <h3 className="flex-1 truncate font-medium">{files.repo}</h3>
        <label className="flex items-center gap-1 text-sm text-fg-muted">
          Context
          <select
            aria-label="Context size for estimates"
            className="h-7 rounded border border-border bg-bg px-1"
            value={files.contextSize}
            onChange={(e) => onContextSize(Number(e.target.value))}
          >
            {CONTEXT_SIZES.map((size) => (
              <option key={size} value={size}>
                {size.toLocaleString("en-US")} tokens
              </option>
            ))}
          </select>
        </label>
        <Button size="icon" variant="ghost" aria-label="Close repository" onClick={onClose}>
          <X size={14} />
        </Button>
      </div>
      {/* A narrow window scrolls the table, never cuts off its last column (Download, Load). */}
      <div className="overflow-x-auto">
        <table className="w-full text-sm tabular-nums">
          <TableHead columns={["Quantization", "Size", "RAM", "VRAM", "Verdict", ""]} />
          <tbody>
            {files.groups.map((group) => (
              <tr key={group.key} data-testid="quant-row" className="border-t border-border align-top">
                <td className="px-2 py-1">
                  <div className="font-medium">
                    {group.quant}
                    {group.recommended && <span className="ml-2 rounded bg-accent/15 px-1.5 py-0.5 text-xs text-accent">Recommended</span>}
                  </div>
                  <div className="truncate text-xs text-fg-muted" title={group.files.map((f) => f.path).join("\n")}>
                    {group.files.length > 1 ? `${group.files.length} parts, loaded as one` : group.key}
                  </div>
                </td>
                <td className="whitespace-nowrap px-2 py-1">{formatBytes(group.totalBytes)}</td>
                <td className="whitespace-nowrap px-2 py-1">{group.fit ? formatBytes(group.fit.ramBytes) : "?"}</td>
                <td className="whitespace-nowrap px-2 py-1">{group.fit ? formatBytes(group.fit.vramBytes) : "?"}</td>
                <td className="px-2 py-1">
                  {group.fit ? (
                    <>
                      <FitBadge fit={group.fit} />
                      <div className="mt-0.5 text-xs text-fg-muted">{group.fit.note}</div>
                    </>
                  ) : (
                    <span className="text-xs text-fg-muted">Could not estimate: {group.fitError}</span>
                  )}
                </td>
                <td className="whitespace-nowrap px-2 py-1 text-right">
                  {group.inLibrary ? (
                    <span className="inline-flex flex-col items-end gap-1">
                      <span data-testid="in-library" className="inline-flex items-center gap-1 text-xs text-fg-muted">
                        <Check size={12} /> In library
                      </span>
                      <Button size="sm" variant="secondary" aria-label={`Load ${group.quant}`} onClick={() => onLoad(group.inLibrary!)}>
                        <Play size={12} /> Load
                      </Button>
                    </span>
                  ) : (
                    <Button
                      size="sm"
                      variant={group.recommended ? "primary" : "secondary"}
                      aria-label={`Download ${group.quant}`}
                      onClick={() => onDownload(group.key)}
                    >
                      <Download size={13} /> Download
                    </Button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
