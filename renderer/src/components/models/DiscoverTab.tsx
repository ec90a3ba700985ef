import { useState } from "react";
import { Heart, Search } from "lucide-react";
import type { CatalogEntry, HubModel, RepoFiles } from "../../../../electron/shared/modelHub";
import { formatBytes } from "../../lib/format";
import { Button } from "../ui/Button";
import { FitBadge } from "./FitBadge";
import { RepoFilesPanel } from "./RepoFilesPanel";

interface Props {
  catalog: CatalogEntry[];
  results: HubModel[] | null;
  searching: boolean;
  repo: RepoFiles | null;
  repoLoading: string | null;
  onSearch(query: string, sort: "downloads" | "recent"): void;
  onOpenRepo(repo: string, contextSize: number): void;
  onCloseRepo(): void;
  onDownload(repo: string, key: string): void;
  onLoad(modelId: string): void;
}

/** Search the hub, or start from the curated catalog (shown offline too); a repo opens with its fit verdicts. */
export function DiscoverTab({ catalog, results, searching, repo, repoLoading, onSearch, onOpenRepo, onCloseRepo, onDownload, onLoad }: Props) {
  const [query, setQuery] = useState("");
  const [sort, setSort] = useState<"downloads" | "recent">("downloads");
  const contextSize = repo?.contextSize ?? 4096;

  return (
    <div className="space-y-3">
      {/* biome-ignore lint/a11y/useSemanticElements: <search> is too new for every browser browser mode serves */}
      <form
        role="search"
        className="flex gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          onSearch(query, sort);
        }}
      >
        <input
          aria-label="Search models on the hub"
          placeholder="Search GGUF models on Hugging Face (e.g. qwen2.5 instruct)"
          className="h-9 flex-1 rounded-md border border-border bg-bg px-3 text-sm"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
        />
        <select
          aria-label="Sort results"
          className="h-9 rounded-md border border-border bg-bg px-2 text-sm"
          value={sort}
          onChange={(e) => setSort(e.target.value as typeof sort)}
        >
          <option value="downloads">Most downloaded</option>
          <option value="recent">Recently updated</option>
        </select>
        <Button type="submit" variant="primary" disabled={searching}>
          <Search size={14} /> {searching ? "Searching…" : "Search"}
        </Button>
      </form>

      {repoLoading && (
        <p role="status" className="text-sm text-fg-muted">
          Reading the model headers of {repoLoading} to estimate memory…
        </p>
      )}
      {repo && (
        <RepoFilesPanel
          files={repo}
          onContextSize={(size) => onOpenRepo(repo.repo, size)}
          onDownload={(key) => onDownload(repo.repo, key)}
          onLoad={onLoad}
          onClose={onCloseRepo}
        />
      )}

      {results !== null ? (
        <SearchResults results={results} onOpen={(name) => onOpenRepo(name, contextSize)} />
      ) : (
        <section aria-label="Starter models">
          <h3 className="mb-1 font-medium">Starter models</h3>
          <p className="mb-2 text-sm text-fg-muted">A short list to begin with. Open one to see which size fits this machine.</p>
          <ul className="grid grid-cols-1 gap-2 md:grid-cols-2 xl:grid-cols-3">
            {catalog.map((entry) => (
              <li key={entry.repo}>
                <button
                  type="button"
                  className="h-full w-full rounded-md border border-border p-3 text-left text-sm hover:bg-muted"
                  onClick={() => onOpenRepo(entry.repo, contextSize)}
                >
                  <div className="flex items-baseline justify-between gap-2">
                    <span className="font-medium">{entry.name}</span>
                    <span className="text-xs text-fg-muted tabular-nums">
                      {entry.parameters} · {entry.kind === "embedding" ? "embeddings" : "chat"}
                    </span>
                  </div>
                  <p className="mt-1 text-fg-muted">{entry.description}</p>
                  <p className="mt-1 text-xs text-fg-muted tabular-nums">
                    {entry.quant} about {formatBytes(entry.approxBytes)} · {entry.license}
                  </p>
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}

const SIZE_LIMITS = [
  { label: "Any size", bytes: Number.POSITIVE_INFINITY },
  { label: "Under 2 GB", bytes: 2e9 },
  { label: "Under 5 GB", bytes: 5e9 },
  { label: "Under 10 GB", bytes: 10e9 },
  { label: "Under 25 GB", bytes: 25e9 },
];

/** Hub results with what decides a download: size range, a first fit verdict, likes, downloads, last update; filtered here. */
function SearchResults({ results, onOpen }: { results: HubModel[]; onOpen(repo: string): void }) {
  const [fitsOnly, setFitsOnly] = useState(false);
  const [maxBytes, setMaxBytes] = useState(Number.POSITIVE_INFINITY);
  const [openOnly, setOpenOnly] = useState(false);
  const shown = results.filter(
    (m) =>
      // Only what is known not to pass is left out: a name that tells no size may still fit.
      (!fitsOnly || m.fit?.verdict !== "tooLarge") && (m.sizeRange === null || m.sizeRange.min <= maxBytes) && (!openOnly || !m.gated),
  );
  return (
    <section aria-label="Search results" className="space-y-2">
      <div className="flex flex-wrap items-center gap-3 text-sm">
        <h3 className="font-medium">Results</h3>
        <label className="flex items-center gap-1.5">
          <input type="checkbox" checked={fitsOnly} onChange={(e) => setFitsOnly(e.target.checked)} />
          Hide what will not fit
        </label>
        <select
          aria-label="Largest size"
          className="h-8 rounded border border-border bg-bg px-2"
          value={maxBytes}
          onChange={(e) => setMaxBytes(Number(e.target.value))}
        >
          {SIZE_LIMITS.map((limit) => (
            <option key={limit.label} value={limit.bytes}>
              {limit.label}
            </option>
          ))}
        </select>
        <label className="flex items-center gap-1.5">
          <input type="checkbox" checked={openOnly} onChange={(e) => setOpenOnly(e.target.checked)} />
          No token needed
        </label>
        <span className="ml-auto text-xs text-fg-muted tabular-nums" role="status">
          {shown.length} of {results.length}
        </span>
      </div>
      {results.length === 0 && <p className="text-sm text-fg-muted">No GGUF models match. Try fewer or other words.</p>}
      {results.length > 0 && shown.length === 0 && <p className="text-sm text-fg-muted">None of these pass the filters.</p>}
      <ul className="divide-y divide-border rounded-md border border-border">
        {shown.map((model) => (
          <li key={model.repo}>
            <button
              type="button"
              data-testid="hub-result"
              className="flex w-full flex-wrap items-center gap-x-4 gap-y-1 px-3 py-2 text-left text-sm hover:bg-muted"
              onClick={() => onOpen(model.repo)}
            >
              <span className="min-w-0 flex-1 basis-64 truncate font-medium">{model.repo}</span>
              {model.gated && <span className="rounded bg-muted px-1.5 text-xs">token needed</span>}
              {model.fit && <FitBadge fit={model.fit} estimate />}
              <span className="tabular-nums text-fg-muted" title={model.quants.join(", ")}>
                {model.sizeRange
                  ? `${formatBytes(model.sizeRange.min)}${model.sizeRange.max > model.sizeRange.min ? `–${formatBytes(model.sizeRange.max)}` : ""}`
                  : "size ?"}
                {model.quants.length > 0 && ` · ${model.quants.length} quant${model.quants.length > 1 ? "s" : ""}`}
              </span>
              <span className="flex items-center gap-1 tabular-nums text-fg-muted">
                <Heart size={12} aria-hidden /> {model.likes.toLocaleString("en-US")}
                <span className="sr-only">likes</span>
              </span>
              <span className="tabular-nums text-fg-muted">{model.downloads.toLocaleString("en-US")} downloads</span>
              <span className="tabular-nums text-fg-muted">updated {new Date(model.updatedAt).toLocaleDateString()}</span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
