import { useEffect, useMemo, useState } from "react";
import { RefreshCw } from "lucide-react";
import { type NetworkLogEntry, networkPurposeSchema } from "../../../../electron/shared/modelHub";
import { useNetworkLog } from "../../hooks/useNetworkLog";
import { formatBytes } from "../../lib/format";
import { Button } from "../ui/Button";
import { TableHead } from "../ui/TableHead";

type Outcome = "all" | "ok" | "failed";

const failed = (entry: NetworkLogEntry) => entry.error !== null || (entry.status !== null && entry.status >= 400);

/** Every request Hearth made, newest first, filtered by what it was for, how it ended, and a word of its address. */
export function NetworkLogTable() {
  const log = useNetworkLog();
  const [purpose, setPurpose] = useState<string>("all");
  const [outcome, setOutcome] = useState<Outcome>("all");
  const [text, setText] = useState("");
  const { show } = log;
  useEffect(() => {
    void show();
  }, [show]);

  const shown = useMemo(() => {
    const needle = text.trim().toLowerCase();
    return (log.entries ?? []).filter(
      (e) =>
        (purpose === "all" || e.purpose === purpose) &&
        (outcome === "all" || (outcome === "failed") === failed(e)) &&
        (!needle || `${e.host}${e.path}`.toLowerCase().includes(needle)),
    );
  }, [log.entries, purpose, outcome, text]);

  const field = "h-8 rounded border border-border bg-bg px-2";
  return (
    <div className="space-y-2 text-sm">
      <div className="flex flex-wrap items-center gap-2">
        <input
          type="search"
          aria-label="Filter by address"
          placeholder="Address contains…"
          className={field}
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
        <select aria-label="Purpose" className={field} value={purpose} onChange={(e) => setPurpose(e.target.value)}>
          <option value="all">Every purpose</option>
          {networkPurposeSchema.options.map((p) => (
            <option key={p} value={p}>
              {p}
            </option>
          ))}
        </select>
        <select aria-label="Outcome" className={field} value={outcome} onChange={(e) => setOutcome(e.target.value as Outcome)}>
          <option value="all">Every outcome</option>
          <option value="ok">Succeeded</option>
          <option value="failed">Failed or refused</option>
        </select>
        <Button size="sm" variant="ghost" onClick={() => void show()}>
          <RefreshCw size={13} /> Refresh
        </Button>
        <Button size="sm" variant="ghost" disabled={!log.entries?.length} onClick={() => void log.clear()}>
          Clear log
        </Button>
        <span className="ml-auto text-xs text-fg-muted tabular-nums" role="status">
          {log.entries ? `${shown.length} of ${log.entries.length} request(s)` : "Reading…"}
        </span>
      </div>
      {log.entries?.length === 0 ? (
        <p className="text-fg-muted">No request has left this machine.</p>
      ) : (
        <div className="max-h-[60vh] overflow-auto rounded border border-border">
          <table aria-label="Network log" className="w-full text-xs tabular-nums">
            <TableHead columns={["Time", "Purpose", "Host", "Request", "Status", "Size", "Proxy"]} />
            <tbody>
              {shown.map((e) => (
                <tr key={e.id} data-testid="network-entry" className="border-t border-border align-top">
                  <td className="whitespace-nowrap px-2 py-1">{new Date(e.at).toLocaleString()}</td>
                  <td className="whitespace-nowrap px-2 py-1">{e.purpose}</td>
                  <td className="px-2 py-1">{e.host}</td>
                  <td className="max-w-[28rem] truncate px-2 py-1 font-mono" title={`${e.method} ${e.path}`}>
                    {e.method} {e.path}
                  </td>
                  <td className={failed(e) ? "px-2 py-1 text-danger" : "px-2 py-1"}>{e.error ?? e.status ?? "…"}</td>
                  <td className="whitespace-nowrap px-2 py-1">{formatBytes(e.bytes)}</td>
                  <td className="px-2 py-1">{e.via ?? "direct"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
