import { HearthError } from "../../shared/errors";
import type { NetworkPurpose } from "../../shared/modelHub";
import type { NetworkLog } from "./NetworkLog";
import { streamingGet, type StreamingResponse } from "./streamingGet";

export interface OutboundRequest {
  purpose: NetworkPurpose;
  method?: string;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /**
   * Read at most this many bytes of the body, then hang up: a server that ignores a Range header
   * sends the whole (multi-GB) file, and only its start was wanted.
   */
  maxBodyBytes?: number;
}

const MAX_REDIRECTS = 6;
/** The largest API answer read (a file list of the biggest repos is a few MB): a hostile server cannot fill memory. */
const MAX_API_BODY_BYTES = 64 * 1024 * 1024;
/** An API call (search, file list, header read) that takes longer than this is abandoned. */
const API_TIMEOUT_MS = 120_000;

/**
 * The one door out of the machine. Refuses at once when offline, and writes every request to
 * the network log. Everything that talks to the network (hub search, file lists, header reads,
 * downloads) goes through here.
 */
export class Outbound {
  constructor(
    private readonly log: NetworkLog,
    private readonly isOffline: () => boolean,
    /** Offline by the environment (HEARTH_OFFLINE=1), which the Settings switch cannot undo. */
    private readonly offlineForced: () => boolean,
  ) {}

  assertOnline(what: string): void {
    if (this.isOffline()) {
      throw new HearthError("OFFLINE", `Hearth is offline, so ${what} was not attempted.`, {
        suggestion: this.offlineForced() ? "Unset HEARTH_OFFLINE to allow network access." : "Turn off offline mode in Settings to allow network access.",
      });
    }
  }

  /**
   * A GET for a large body (a model file), on `streamingGet` (several times less CPU per byte
   * than node:http or fetch). Follows redirects (the hub sends files from a CDN), dropping the
   * Authorization header when the host changes; each hop is logged.
   */
  async openStream(url: string | URL, request: OutboundRequest): Promise<StreamResponse> {
    let target = new URL(url);
    let headers = { ...request.headers };
    for (let hop = 0; hop < MAX_REDIRECTS; hop++) {
      this.assertOnline(`the ${request.purpose} request to ${target.host}`);
      const entry = this.log.begin(target, "GET", request.purpose);
      let response: StreamingResponse;
      try {
        response = await streamingGet(target, { headers, signal: request.signal });
      } catch (error) {
        entry.finish({ error: describeFetchError(error) });
        if (request.signal?.aborted) throw request.signal.reason ?? error;
        throw new HearthError("NETWORK", `Could not reach ${target.host}: ${describeFetchError(error)}`, { cause: error });
      }
      const { status } = response;
      const location = response.header("location");
      if (status >= 300 && status < 400 && location) {
        response.discard();
        entry.finish({ status });
        ({ target, headers } = redirected(target, location, headers));
        continue;
      }
      return { status, header: response.header, body: response, finish: ({ bytes, error }) => entry.finish({ status, bytes, error }) };
    }
    throw new HearthError("NETWORK", `Too many redirects fetching ${new URL(url).pathname}.`);
  }

  /**
   * Sends a request and reads the whole body: for API calls and header reads, whose answers are
   * small. Redirects are followed here, not by fetch, so each host the request reaches (the hub
   * sends file bytes from a CDN) is in the log, and the Authorization header never leaves the hub.
   */
  async fetch(url: string | URL, request: OutboundRequest): Promise<Response> {
    let target = new URL(url);
    let headers = { ...request.headers };
    const method = request.method ?? "GET";
    for (let hop = 0; hop < MAX_REDIRECTS; hop++) {
      this.assertOnline(`the ${request.purpose} request to ${target.host}`);
      const entry = this.log.begin(target, method, request.purpose);
      let response: Response;
      let body: Uint8Array<ArrayBuffer>;
      const timeout = AbortSignal.timeout(API_TIMEOUT_MS);
      const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
      try {
        response = await fetch(target, { method, headers, signal, redirect: "manual" });
        body = await readBody(response, request.maxBodyBytes ?? MAX_API_BODY_BYTES, request.maxBodyBytes === undefined);
      } catch (error) {
        entry.finish({ error: describeFetchError(error) });
        if (request.signal?.aborted) throw request.signal.reason ?? error;
        if (error instanceof HearthError) throw error;
        if (timeout.aborted) throw new HearthError("NETWORK", `${target.host} did not answer within ${API_TIMEOUT_MS / 1000} s.`);
        throw new HearthError("NETWORK", `Could not reach ${target.host}: ${describeFetchError(error)}`, { cause: error });
      }
      entry.finish({ status: response.status, bytes: body.byteLength });
      const location = response.headers.get("location");
      if (response.status >= 300 && response.status < 400 && location) {
        ({ target, headers } = redirected(target, location, headers));
        continue;
      }
      return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
    }
    throw new HearthError("NETWORK", `Too many redirects fetching ${new URL(url).pathname}.`);
  }

  /** A `fetch` for libraries that take one (@huggingface/hub): same log, same offline switch. */
  fetchFor(purpose: NetworkPurpose): typeof fetch {
    return (async (input: string | URL | Request, init?: RequestInit) => {
      const url = input instanceof Request ? input.url : input;
      const headers = Object.fromEntries(new Headers(init?.headers).entries());
      return this.fetch(url, { purpose, method: init?.method, headers, signal: init?.signal ?? undefined });
    }) as typeof fetch;
  }
}

export interface StreamResponse {
  status: number;
  header(name: string): string | null;
  body: StreamingResponse;
  finish(result: { bytes: number; error?: string | null }): void;
}

/**
 * The next hop of a redirect. A hop from HTTPS down to plain HTTP is refused (the bytes, and any
 * signed link, would travel in clear); the token stays with the origin it was meant for (scheme,
 * host and port), so a hop to another host or port drops it.
 */
export function redirected(from: URL, location: string, headers: Record<string, string>): { target: URL; headers: Record<string, string> } {
  const target = new URL(location, from);
  if (from.protocol === "https:" && target.protocol !== "https:") {
    throw new HearthError("NETWORK", `${from.host} redirected to an unencrypted address (${target.protocol}//${target.host}); Hearth does not follow it.`, {
      suggestion: "Check HF_ENDPOINT, or report it to the mirror's owner.",
    });
  }
  if (target.origin === from.origin) return { target, headers };
  return { target, headers: Object.fromEntries(Object.entries(headers).filter(([key]) => key.toLowerCase() !== "authorization")) };
}

/**
 * The body, or its first `limit` bytes (the rest is never read: the connection is cancelled).
 * With `refuseLonger`, a body past the limit is an error rather than cut short.
 */
async function readBody(response: Response, limit: number, refuseLonger: boolean): Promise<Uint8Array<ArrayBuffer>> {
  if (!response.body) return new Uint8Array(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  // Refusing needs one byte past the limit as proof; cutting short stops at the limit.
  const stopAt = refuseLonger ? limit + 1 : limit;
  while (length < stopAt) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    length += value.byteLength;
  }
  await reader.cancel().catch(() => undefined);
  if (refuseLonger && length > limit) {
    throw new HearthError(
      "NETWORK",
      `${new URL(response.url || "http://server.invalid").host} sent an answer larger than ${limit >> 20} MiB; Hearth stopped reading it.`,
    );
  }
  const body = new Uint8Array(Math.min(length, limit));
  let at = 0;
  for (const chunk of chunks) {
    const take = chunk.subarray(0, body.length - at);
    body.set(take, at);
    at += take.byteLength;
  }
  return body;
}

/** undici hides the real reason (ECONNREFUSED, ECONNRESET...) in `cause`. */
export function describeFetchError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  if (cause?.code) return `${cause.code}${cause.message && !cause.message.includes(cause.code) ? ` (${cause.message})` : ""}`;
  if (cause?.message) return cause.message;
  return error instanceof Error ? error.message : String(error);
}
