import { useCallback, useEffect, useRef, useState } from "react";
import type { Download } from "../../../electron/shared/modelHub";
import { applyDownloadPacket } from "../lib/applyDownloadPacket";
import { useClient } from "./ClientContext";
import { useErrors } from "./useErrors";

/** The download queue, live; `onFinished` runs when a download enters the library. */
export function useDownloads(onFinished: (download: Download) => void) {
  const client = useClient();
  const { report } = useErrors();
  const [downloads, setDownloads] = useState<Download[]>([]);
  const finished = useRef(onFinished);
  finished.current = onFinished;

  useEffect(() => {
    void client.call("downloads.list", {}).then(setDownloads, report);
    return client.on("downloads.onDidChange", (packet) => {
      setDownloads((list) => applyDownloadPacket(list, packet));
      if (packet.type === "status" && packet.download.status === "done") finished.current(packet.download);
    });
  }, [client, report]);

  const act = useCallback(
    (verb: "downloads.pause" | "downloads.resume" | "downloads.cancel" | "downloads.remove", id: string) => client.call(verb, { id }).catch(report),
    [client, report],
  );

  const start = useCallback(
    async (repo: string, key: string) => {
      try {
        await client.call("downloads.start", { repo, key });
        return true;
      } catch (error) {
        report(error);
        return false;
      }
    },
    [client, report],
  );

  return {
    downloads,
    start,
    pause: (id: string) => act("downloads.pause", id),
    resume: (id: string) => act("downloads.resume", id),
    cancel: (id: string) => act("downloads.cancel", id),
    remove: (id: string) => act("downloads.remove", id),
  };
}
