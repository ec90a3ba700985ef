import { useState } from "react";
import type { ComponentProps } from "react";
import type { EngineState, LoadSettingsPatch, ModelEntry, SamplingSettings } from "../../../../electron/shared/contract";
import { useDownloads } from "../../hooks/useDownloads";
import { useHub } from "../../hooks/useHub";
import { useLibraryStorage } from "../../hooks/useLibraryStorage";
import { Button } from "../ui/Button";
import { DiscoverTab } from "./DiscoverTab";
import { DownloadsTab } from "./DownloadsTab";
import { HardwareSummary } from "./HardwareSummary";
import { LibraryTab } from "./LibraryTab";

type Tab = "discover" | "library" | "downloads";

interface Props {
  models: ModelEntry[];
  engine: EngineState | null;
  onLibraryChanged(): void;
  onLoad(id: string): void;
  onRemove(id: string): void;
  onLocate(id: string, path: string): void;
  onBrowse?: () => Promise<string | null>;
  onSetDefaults(id: string, defaults: LoadSettingsPatch | null): void;
  onRename(id: string, name: string | null): void;
  onSetSampling: ComponentProps<typeof LibraryTab>["onSetSampling"];
  samplingInherited: SamplingSettings;
  onImport: ComponentProps<typeof LibraryTab>["onImport"];
  onBrowseImport?: ComponentProps<typeof LibraryTab>["onBrowseImport"];
}

/** Models: Discover (catalog, hub search, fit verdicts), Library, Downloads; the machine on top. */
export function ModelsPage(props: Props) {
  const { models, engine, onLibraryChanged, onLoad, onRemove, onLocate, onBrowse, onSetDefaults } = props;
  const hub = useHub();
  const [tab, setTab] = useState<Tab>(models.length === 0 ? "discover" : "library");
  const library = useLibraryStorage(models.length);
  const downloads = useDownloads((download) => {
    onLibraryChanged();
    void library.refresh();
    // The open repo's file now says "In library".
    if (hub.repo?.repo === download.repo) void hub.openRepo(hub.repo.repo, hub.repo.contextSize);
  });

  const active = downloads.downloads.filter((d) => !["done", "cancelled"].includes(d.status)).length;
  const tabs: { id: Tab; label: string }[] = [
    { id: "discover", label: "Discover" },
    { id: "library", label: `Library (${models.length})` },
    { id: "downloads", label: active > 0 ? `Downloads (${active})` : "Downloads" },
  ];

  return (
    <div className="flex-1 space-y-3 overflow-y-auto p-4" data-testid="models-page">
      <HardwareSummary hardware={hub.hardware} />
      <div role="tablist" aria-label="Models" className="flex gap-1 border-b border-border">
        {tabs.map((t) => (
          <Button key={t.id} role="tab" aria-selected={tab === t.id} size="sm" variant={tab === t.id ? "secondary" : "ghost"} onClick={() => setTab(t.id)}>
            {t.label}
          </Button>
        ))}
      </div>
      <div role="tabpanel">
        {tab === "discover" && (
          <DiscoverTab
            catalog={hub.catalog}
            results={hub.results}
            searching={hub.searching}
            repo={hub.repo}
            repoLoading={hub.repoLoading}
            onSearch={(query, sort) => void hub.search(query, sort)}
            onOpenRepo={(repo, contextSize) => void hub.openRepo(repo, contextSize)}
            onCloseRepo={hub.closeRepo}
            onDownload={async (repo, key) => {
              if (await downloads.start(repo, key)) setTab("downloads");
            }}
            onLoad={onLoad}
          />
        )}
        {tab === "library" && (
          <LibraryTab
            models={models}
            loadedId={engine?.model?.id ?? null}
            storage={library.storage}
            onLoad={onLoad}
            onRemove={onRemove}
            onLocate={onLocate}
            onBrowse={onBrowse}
            onSetDefaults={onSetDefaults}
            onRename={props.onRename}
            onSetSampling={props.onSetSampling}
            samplingInherited={props.samplingInherited}
            onImport={props.onImport}
            onBrowseImport={props.onBrowseImport}
            onShowInFolder={library.showInFolder}
          />
        )}
        {tab === "downloads" && (
          <DownloadsTab
            downloads={downloads.downloads}
            onPause={downloads.pause}
            onResume={downloads.resume}
            onCancel={downloads.cancel}
            onRemove={downloads.remove}
            onLoad={onLoad}
          />
        )}
      </div>
    </div>
  );
}
