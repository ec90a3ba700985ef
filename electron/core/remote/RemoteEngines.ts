import { randomUUID } from "node:crypto";
import { z } from "zod";
import { HearthError } from "../../shared/errors";
import type { RemoteEngine } from "../../shared/remote";
import { parseRemoteModelId, remoteModelId } from "../../shared/remoteIds";
import type { Outbound } from "../network/Outbound";
import type { SecretVault } from "../secrets/SecretVault";
import type { Db } from "../store/openDatabase";

interface Row {
  id: string;
  name: string;
  base_url: string;
  created_at: number;
}

/** Where a remote engine is and how to reach it: what a request to it needs. */
export interface RemoteTarget {
  engineId: string;
  engineName: string;
  baseUrl: string;
  model: string;
  /** Sent as `Authorization: Bearer`, never logged. */
  key: string | null;
}

const modelListSchema = z.object({ data: z.array(z.object({ id: z.string().min(1) })) });

/** A model list is read again after this long (a server's models change rarely). */
const MODELS_TTL_MS = 60_000;

const secretName = (engineId: string) => `remote-engine:${engineId}`;

/**
 * The remote engines the user added: kept in the database (name and address), their keys in the
 * vault, their model lists read from `GET /models` through the one door out (logged, refused
 * when offline) and kept a minute.
 */
export class RemoteEngines {
  private readonly models = new Map<string, { at: number; models: string[] } | { at: number; error: string }>();

  constructor(
    private readonly db: Db,
    private readonly secrets: SecretVault,
    private readonly outbound: Outbound,
  ) {}

  /** Every remote engine with its models (read again when older than a minute, or when `refresh`). */
  async list(options: { refresh?: boolean } = {}): Promise<RemoteEngine[]> {
    const rows = this.db.prepare<[], Row>(`SELECT * FROM remote_engines ORDER BY name`).all();
    return Promise.all(rows.map((row) => this.view(row, options.refresh ?? false)));
  }

  /** One engine with its models (read again when older than a minute): no other engine is asked. */
  get(idOrName: string): Promise<RemoteEngine> {
    return this.view(this.row(idOrName), false);
  }

  /**
   * Adds an engine after asking it for its models: an address that does not answer like an
   * OpenAI-compatible server, or refuses the key, is not added.
   */
  async add(input: { name: string; baseUrl: string; key?: string | null }): Promise<RemoteEngine> {
    const name = input.name.trim();
    const baseUrl = normalizeBaseUrl(input.baseUrl);
    if (this.db.prepare(`SELECT 1 FROM remote_engines WHERE name = ?`).get(name)) {
      throw new HearthError("ALREADY_EXISTS", `A remote engine is already called "${name}".`, { suggestion: "Choose another name, or remove that one first." });
    }
    const key = input.key?.trim() || null;
    const models = await this.fetchModels(baseUrl, key);
    const row: Row = { id: randomUUID(), name, base_url: baseUrl, created_at: Date.now() };
    this.db.prepare(`INSERT INTO remote_engines (id, name, base_url, created_at) VALUES (@id, @name, @base_url, @created_at)`).run(row);
    if (key) this.secrets.set(secretName(row.id), key);
    this.models.set(row.id, { at: Date.now(), models });
    return this.view(row, false);
  }

  /** Forgets an engine and its key; returns its id. */
  remove(idOrName: string): string {
    const row = this.row(idOrName);
    this.db.prepare(`DELETE FROM remote_engines WHERE id = ?`).run(row.id);
    this.secrets.delete(secretName(row.id));
    this.models.delete(row.id);
    return row.id;
  }

  /** What a request for the remote model `modelId` needs; NOT_FOUND when the engine is gone. */
  target(modelId: string): RemoteTarget {
    const parsed = parseRemoteModelId(modelId);
    if (!parsed) throw new HearthError("INVALID_INPUT", `${modelId} is not a remote model's id.`);
    const row = this.row(parsed.engineId);
    return { engineId: row.id, engineName: row.name, baseUrl: row.base_url, model: parsed.model, key: this.secrets.get(secretName(row.id)) };
  }

  private row(idOrName: string): Row {
    const row = this.db.prepare<[string, string], Row>(`SELECT * FROM remote_engines WHERE id = ? OR name = ? COLLATE NOCASE`).get(idOrName, idOrName);
    if (!row)
      throw new HearthError("NOT_FOUND", `No remote engine "${idOrName}".`, { suggestion: "See the remote engines in Settings (or hearth remote list)." });
    return row;
  }

  private async view(row: Row, refresh: boolean): Promise<RemoteEngine> {
    let known = this.models.get(row.id);
    if (refresh || !known || Date.now() - known.at > MODELS_TTL_MS) {
      const key = this.secrets.get(secretName(row.id));
      known = await this.fetchModels(row.base_url, key).then(
        (models) => ({ at: Date.now(), models }),
        (error: unknown) => ({ at: Date.now(), error: error instanceof Error ? error.message : String(error) }),
      );
      this.models.set(row.id, known);
    }
    const status = this.secrets.status(secretName(row.id));
    return {
      id: row.id,
      name: row.name,
      baseUrl: row.base_url,
      key: { set: status.set, last4: status.last4 },
      models: "models" in known ? known.models.map((model) => ({ id: remoteModelId(row.id, model), model })) : [],
      error: "error" in known ? known.error : null,
    };
  }

  private async fetchModels(baseUrl: string, key: string | null): Promise<string[]> {
    const response = await this.outbound.fetch(`${baseUrl}/models`, {
      purpose: "remote engine",
      headers: { accept: "application/json", ...(key ? { authorization: `Bearer ${key}` } : {}) },
      maxBodyBytes: 4 * 1024 * 1024,
    });
    const host = new URL(baseUrl).host;
    if (response.status === 401 || response.status === 403) {
      throw new HearthError("UNAUTHORIZED", `${host} refused the key (HTTP ${response.status}).`, { suggestion: "Check the API key." });
    }
    if (!response.ok)
      throw new HearthError("NETWORK", `${host} answered HTTP ${response.status} for its model list.`, {
        suggestion: "Check the address: it ends in /v1 for most servers.",
      });
    const parsed = modelListSchema.safeParse(await response.json().catch(() => null));
    if (!parsed.success) {
      throw new HearthError("NETWORK", `${host} did not answer like an OpenAI-compatible server (no model list at ${baseUrl}/models).`, {
        suggestion: "Check the address: it ends in /v1 for most servers.",
      });
    }
    return parsed.data.data.map((m) => m.id);
  }
}

/** An http(s) address without a trailing slash; a bare server address gets `/v1`. */
export function normalizeBaseUrl(input: string): string {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    throw new HearthError("INVALID_INPUT", `"${input}" is not an address.`, { suggestion: "Give the server's address, such as http://192.168.1.20:8080/v1." });
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new HearthError("INVALID_INPUT", `A remote engine is reached over http or https, not ${url.protocol}`);
  if (url.username || url.password) throw new HearthError("INVALID_INPUT", "Put the key in the key field, not in the address.");
  url.search = "";
  url.hash = "";
  const path = url.pathname.replace(/\/+$/, "");
  url.pathname = path === "" ? "/v1" : path;
  return url.toString().replace(/\/+$/, "");
}
