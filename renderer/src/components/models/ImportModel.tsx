import { useEffect, useId, useState } from "react";
import { FileUp } from "lucide-react";
import type { CallOutput, ModelEntry } from "../../../../electron/shared/contract";
import { useClient } from "../../hooks/ClientContext";
import { formatBytes } from "../../lib/format";
import { Button } from "../ui/Button";

type Found = CallOutput<"models.findOnDisk">;
type Imported = ModelEntry & { alreadyInLibrary: boolean };

interface Props {
  onImport(path: string): Promise<Imported | null>;
  /** The desktop app's file dialog, then the same import. */
  onBrowse?: () => Promise<Imported | null>;
}

/**
 * Adds a GGUF file already on this machine, by reference (the file stays where it is): typed, with
 * the GGUF files found in the usual folders offered as you type, or picked with the system dialog.
 */
export function ImportModel({ onImport, onBrowse }: Props) {
  const client = useClient();
  const listId = useId();
  const [path, setPath] = useState("");
  const [found, setFound] = useState<Found>([]);
  const [outcome, setOutcome] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    client.call("models.findOnDisk", {}).then(setFound, () => setFound([]));
  }, [client]);

  const finish = (entry: Imported | null) => {
    if (!entry) return setOutcome(null);
    setOutcome(entry.alreadyInLibrary ? `Already in the library as “${entry.name}”: nothing was added.` : `Added “${entry.name}” to the library.`);
    setPath("");
  };
  const run = async (work: () => Promise<Imported | null>) => {
    setBusy(true);
    try {
      finish(await work());
    } finally {
      setBusy(false);
    }
  };
  const offered = found.filter((f) => !f.inLibrary);

  return (
    <section aria-labelledby={`${listId}-title`} className="space-y-2 rounded-md border border-border p-3 text-sm">
      <h3 id={`${listId}-title`} className="font-medium">
        Import a GGUF file
      </h3>
      <form
        className="flex flex-wrap items-center gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          if (path.trim()) void run(() => onImport(path.trim()));
        }}
      >
        <input
          aria-label="GGUF file path"
          list={`${listId}-found`}
          placeholder="/path/to/model.gguf"
          className="h-8 min-w-0 flex-1 rounded border border-border bg-bg px-2"
          value={path}
          onChange={(e) => setPath(e.target.value)}
        />
        <datalist id={`${listId}-found`}>
          {offered.map((f) => (
            <option key={f.path} value={f.path}>
              {formatBytes(f.fileSize)}
            </option>
          ))}
        </datalist>
        <Button type="submit" size="sm" variant="primary" disabled={!path.trim() || busy}>
          <FileUp size={13} /> Import
        </Button>
        {onBrowse && (
          <Button size="sm" disabled={busy} onClick={() => void run(onBrowse)}>
            Browse…
          </Button>
        )}
      </form>
      <p className="text-xs text-fg-muted">
        The file stays where it is.{" "}
        {offered.length > 0 ? `${offered.length} GGUF file(s) found in Downloads and other apps' model folders: type or pick one.` : ""}
      </p>
      {outcome && (
        <p role="status" className="text-xs">
          {outcome}
        </p>
      )}
    </section>
  );
}
