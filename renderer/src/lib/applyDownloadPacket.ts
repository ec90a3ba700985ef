import type { Download, DownloadPacket } from "../../../electron/shared/modelHub";

/** The downloads list after one event: progress patches a row, a status replaces or adds it, removal drops it. */
export function applyDownloadPacket(list: readonly Download[], packet: DownloadPacket): Download[] {
  switch (packet.type) {
    case "progress":
      return list.map((d) =>
        d.id === packet.id ? { ...d, receivedBytes: packet.receivedBytes, bytesPerSecond: packet.bytesPerSecond, etaSeconds: packet.etaSeconds } : d,
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
