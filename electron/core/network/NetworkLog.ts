import type { NetworkLogEntry, NetworkPurpose } from "../../shared/modelHub";
import type { Db } from "../store/openDatabase";

interface Row {
  id: number;
  at: number;
  host: string;
  method: string;
  path: string;
  purpose: NetworkPurpose;
  status: number | null;
  bytes: number;
  error: string | null;
  via: string | null;
}

// A search's query string says what was asked; a file URL's (a CDN's signed link) is a credential.
const QUERY_KEPT = new Set<NetworkPurpose>(["search", "repo files"]);

/** Every outbound request Hearth makes, for the user to read. Tokens and signed links are never written. */
export class NetworkLog {
  constructor(private readonly db: Db) {}

  /** Starts an entry when a request goes out; `finish` fills in status, bytes and error. */
  begin(
    url: URL,
    method: string,
    purpose: NetworkPurpose,
    /** The proxy the request goes through (scheme, host and port), or null when direct. */
    via: string | null = null,
  ): { finish(result: { status?: number | null; bytes?: number; error?: string | null }): void } {
    const { lastInsertRowid } = this.db
      .prepare(`INSERT INTO network_log (at, host, method, path, purpose, via) VALUES (?, ?, ?, ?, ?, ?)`)
      .run(Date.now(), url.host, method, url.pathname + (QUERY_KEPT.has(purpose) ? url.search : ""), purpose, via);
    let finished = false;
    return {
      finish: ({ status = null, bytes = 0, error = null }) => {
        if (finished) return;
        finished = true;
        this.db.prepare(`UPDATE network_log SET status = ?, bytes = ?, error = ? WHERE id = ?`).run(status, bytes, error, lastInsertRowid);
      },
    };
  }

  list(limit = 500): NetworkLogEntry[] {
    return this.db.prepare<[number], Row>(`SELECT * FROM network_log ORDER BY id DESC LIMIT ?`).all(limit);
  }

  clear(): void {
    this.db.prepare(`DELETE FROM network_log`).run();
  }
}
