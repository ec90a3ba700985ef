import { useCallback, useEffect, useRef, useState } from "react";
import type { CatalogEntry, HardwareInfo, HubModel, RepoFiles } from "../../../electron/shared/modelHub";
import { useClient } from "./ClientContext";
import { useErrors } from "./useErrors";

/** Discovery: the machine, the curated catalog, hub search, and a repo's files with fit verdicts. */
export function useHub() {
  const client = useClient();
  const { report } = useErrors();
  const [hardware, setHardware] = useState<HardwareInfo | null>(null);
  const [catalog, setCatalog] = useState<CatalogEntry[]>([]);
  const [results, setResults] = useState<HubModel[] | null>(null);
  const [searching, setSearching] = useState(false);
  const [repo, setRepo] = useState<RepoFiles | null>(null);
  const [repoLoading, setRepoLoading] = useState<string | null>(null);
  // Only the newest search, and the newest repo request, may set state: answers can arrive out of order.
  const latestSearch = useRef(0);
  const latestRepo = useRef(0);

  useEffect(() => {
    void client.call("hub.catalog", {}).then(setCatalog, report);
    void client.call("hardware.get", {}).then(setHardware, report);
  }, [client, report]);

  const search = useCallback(
    async (query: string, sort: "downloads" | "recent") => {
      const ticket = ++latestSearch.current;
      setSearching(true);
      try {
        const found = await client.call("hub.search", { query, sort, limit: 30 });
        if (ticket === latestSearch.current) setResults(found);
      } catch (error) {
        if (ticket === latestSearch.current) setResults(null);
        report(error);
      } finally {
        if (ticket === latestSearch.current) setSearching(false);
      }
    },
    [client, report],
  );

  const openRepo = useCallback(
    async (name: string, contextSize: number) => {
      const ticket = ++latestRepo.current;
      setRepoLoading(name);
      try {
        const files = await client.call("hub.files", { repo: name, contextSize });
        if (ticket === latestRepo.current) setRepo(files);
      } catch (error) {
        report(error);
      } finally {
        if (ticket === latestRepo.current) setRepoLoading(null);
      }
    },
    [client, report],
  );

  return { hardware, catalog, results, searching, search, repo, repoLoading, openRepo, closeRepo: () => setRepo(null) };
}
