import { HubApiError, listFiles, listModels } from "@huggingface/hub";
import { quantsOf } from "./sizeFromName";
import { HearthError } from "../../shared/errors";
import type { HubFile, HubModel } from "../../shared/modelHub";
import type { Outbound } from "../network/Outbound";
import { isLoopback } from "../network/loopback";
import { fileUrl, hubEndpoint, isRepoId } from "./hubEndpoint";

export interface SearchOptions {
  query: string;
  sort: "downloads" | "recent";
  limit: number;
}

/**
 * The Hugging Face Hub, through @huggingface/hub, at HF_ENDPOINT when set. Every request goes
 * through `Outbound` (network log, offline switch); hub errors become Hearth error codes.
 */
export class HubClient {
  private readonly token: () => string | undefined;

  constructor(
    private readonly outbound: Outbound,
    storedToken: () => string | undefined,
    readonly endpoint: string = hubEndpoint(),
  ) {
    // The token never crosses a network in clear: a mirror over plain HTTP gets it only when it
    // runs on this machine.
    const url = new URL(endpoint);
    const safe = url.protocol === "https:" || isLoopback(url.hostname);
    this.token = safe ? storedToken : () => undefined;
  }

  /** GGUF repos whose name matches the query. */
  async search({ query, sort, limit }: SearchOptions): Promise<Omit<HubModel, "sizeRange" | "fit">[]> {
    this.outbound.assertOnline("the hub search");
    const found: Omit<HubModel, "sizeRange" | "fit">[] = [];
    await this.call(`search "${query}"`, async () => {
      for await (const model of listModels({
        search: { query: query.trim() || undefined, tags: ["gguf"] },
        sort: sort === "recent" ? "lastModified" : "downloads",
        limit,
        // File names tell the quantizations offered (and so the sizes) without a request per result.
        additionalFields: ["filePaths"],
        hubUrl: this.endpoint,
        accessToken: this.token(),
        fetch: this.outbound.fetchFor("search"),
      })) {
        found.push({
          repo: model.name,
          downloads: model.downloads ?? 0,
          likes: model.likes ?? 0,
          updatedAt: model.updatedAt.getTime() || 0,
          gated: Boolean(model.gated),
          quants: quantsOf(model.filePaths ?? []),
        });
      }
    });
    return found;
  }

  /** Every file of a repo (main branch), with the LFS SHA-256 the download is checked against. */
  async listFiles(repo: string): Promise<HubFile[]> {
    assertRepoId(repo);
    this.outbound.assertOnline(`listing the files of ${repo}`);
    const files: HubFile[] = [];
    await this.call(repo, async () => {
      for await (const entry of listFiles({
        repo: { type: "model", name: repo },
        recursive: true,
        hubUrl: this.endpoint,
        accessToken: this.token(),
        fetch: this.outbound.fetchFor("repo files"),
      })) {
        if (entry.type !== "file") continue;
        files.push({
          path: entry.path,
          size: entry.lfs?.size ?? entry.size,
          sha256: entry.lfs?.oid && /^[0-9a-f]{64}$/i.test(entry.lfs.oid) ? entry.lfs.oid.toLowerCase() : null,
        });
      }
    });
    return files;
  }

  fileUrl(repo: string, file: string): string {
    return fileUrl(this.endpoint, repo, file);
  }

  /** Headers for file requests: the token goes only to the hub's own address. */
  authHeaders(): Record<string, string> {
    const token = this.token();
    return token ? { authorization: `Bearer ${token}` } : {};
  }

  private async call(what: string, run: () => Promise<void>): Promise<void> {
    try {
      await run();
    } catch (error) {
      throw hubError(error, what, Boolean(this.token()));
    }
  }
}

export function assertRepoId(repo: string): void {
  if (!isRepoId(repo))
    throw new HearthError("INVALID_INPUT", `"${repo}" is not a hub repository id.`, {
      suggestion: "Use the form owner/name, e.g. Qwen/Qwen2.5-0.5B-Instruct-GGUF.",
    });
}

/** Maps a hub or HTTP status to Hearth's codes. */
export function hubStatusError(status: number, what: string, hasToken: boolean, detail = ""): HearthError {
  const suffix = detail ? `: ${detail}` : "";
  if (status === 401 || status === 403) {
    return new HearthError("HUB_UNAUTHORIZED", `The hub refused access to ${what} (HTTP ${status})${suffix}.`, {
      suggestion: hasToken ? "Check that your Hugging Face token is valid and that you accepted the repository's terms on its page." : undefined,
    });
  }
  if (status === 404) return new HearthError("HUB_NOT_FOUND", `Not found on the hub: ${what}.`, { suggestion: "Check the repository id and the file name." });
  return new HearthError("NETWORK", `The hub answered HTTP ${status} for ${what}${suffix}.`);
}

function hubError(error: unknown, what: string, hasToken: boolean): unknown {
  if (error instanceof HearthError) return error;
  if (error instanceof HubApiError) return hubStatusError(error.statusCode, what, hasToken, error.message);
  return new HearthError("NETWORK", `The hub request for ${what} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
}
