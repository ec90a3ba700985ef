import type { Download, DownloadPacket } from "../../../electron/shared/modelHub";

const STOPPED = new Set<Download["status"]>(["cancelled", "done", "failed", "paused"]);

/** The downloads list after one event: progress patches a row, a status replaces or adds it, removal drops it. */
export function applyDownloadPacket(list: readonly Download[], packet: DownloadPacket): Download[] {
  switch (packet.type) {
    case "progress":
      // A progress report can trail the status that stopped the download (a cancel deletes the
      // partial file): it never moves a stopped download's bar.
      return list.map((d) =>
        d.id === packet.id && !STOPPED.has(d.status)
          ? { ...d, receivedBytes: packet.receivedBytes, bytesPerSecond: packet.bytesPerSecond, etaSeconds: packet.etaSeconds }
          : d,
      );
    case "status": {
      const at = list.findIndex((d) => d.id === packet.download.id);
      return at === -1 ? [packet.download, ...list] : list.map((d, i) => (i === at ? packet.download : d));
    }
    case "removed":
      return list.filter((d) => d.id !== packet.id);
    default: {
      const unknown: never = packet;
      return unknown;
    }
  }
}
