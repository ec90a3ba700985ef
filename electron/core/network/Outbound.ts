import http from "node:http";
import https from "node:https";
import { HearthError } from "../../shared/errors";
import type { NetworkPurpose } from "../../shared/modelHub";
import type { NetworkLog } from "./NetworkLog";

export interface OutboundRequest {
  purpose: NetworkPurpose;
  method?: string;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export interface OpenResponse {
  response: Response;
  /** Records the bytes read (and the error, if the body broke off) in the network log. */
  finish(result: { bytes: number; error?: string | null }): void;
}

/**
 * The one door out of the machine. Refuses at once when offline, and writes every request to
 * the network log. Everything that talks to the network (hub search, file lists, header reads,
 * downloads) goes through here.
 */
export class Outbound {
  constructor(
    private readonly log: NetworkLog,
    private readonly isOffline: () => boolean,
  ) {}

  assertOnline(what: string): void {
    if (this.isOffline()) {
      throw new HearthError("OFFLINE", `Hearth is offline, so ${what} was not attempted.`, {
        suggestion: process.env.HEARTH_OFFLINE === "1" ? "Unset HEARTH_OFFLINE to allow network access." : "Turn off offline mode in Settings to allow network access.",
      });
    }
  }

  /** Sends a request and hands back the response with its body unread (for streaming). */
  async open(url: string | URL, request: OutboundRequest): Promise<OpenResponse> {
    const target = new URL(url);
    this.assertOnline(`the ${request.purpose} request to ${target.host}`);
    const method = request.method ?? "GET";
    const entry = this.log.begin(target, method, request.purpose);
    let response: Response;
    try {
      response = await fetch(target, { method, headers: request.headers, signal: request.signal, redirect: "follow" });
    } catch (error) {
      const reason = describeFetchError(error);
      entry.finish({ error: reason });
      if (request.signal?.aborted) throw request.signal.reason ?? error;
      throw new HearthError("NETWORK", `Could not reach ${target.host}: ${reason}`, { cause: error });
    }
    return { response, finish: ({ bytes, error }) => entry.finish({ status: response.status, bytes, error }) };
  }

  /**
   * A GET for a large body (a model file), on Node's own http client: its stream runs about
   * twice as fast as fetch's on loopback. Follows redirects (the hub sends files from a CDN),
   * dropping the Authorization header when the host changes; each hop is logged.
   */
  async openStream(url: string | URL, request: OutboundRequest): Promise<StreamResponse> {
    let target = new URL(url);
    let headers = { ...request.headers };
    for (let hop = 0; hop < 6; hop++) {
      this.assertOnline(`the ${request.purpose} request to ${target.host}`);
      const entry = this.log.begin(target, "GET", request.purpose);
      let response: http.IncomingMessage;
      try {
        response = await get(target, headers, request.signal);
      } catch (error) {
        entry.finish({ error: describeFetchError(error) });
        if (request.signal?.aborted) throw request.signal.reason ?? error;
        throw new HearthError("NETWORK", `Could not reach ${target.host}: ${describeFetchError(error)}`, { cause: error });
      }
      const status = response.statusCode ?? 0;
      const location = response.headers.location;
      if (status >= 300 && status < 400 && location) {
        response.resume();
        entry.finish({ status });
        const next = new URL(location, target);
        if (next.host !== target.host) {
          headers = Object.fromEntries(Object.entries(headers).filter(([key]) => key.toLowerCase() !== "authorization"));
        }
        target = next;
        continue;
      }
      return { status, header: (name) => headerValue(response.headers[name.toLowerCase()]), body: response, finish: ({ bytes, error }) => entry.finish({ status, bytes, error }) };
    }
    throw new HearthError("NETWORK", `Too many redirects fetching ${new URL(url).pathname}.`);
  }

  /** Sends a request and reads the whole body: for API calls, whose answers are small. */
  async fetch(url: string | URL, request: OutboundRequest): Promise<Response> {
    const { response, finish } = await this.open(url, request);
    let body: ArrayBuffer;
    try {
      body = await response.arrayBuffer();
    } catch (error) {
      finish({ bytes: 0, error: describeFetchError(error) });
      throw new HearthError("NETWORK", `The answer from ${new URL(url).host} broke off: ${describeFetchError(error)}`, { cause: error });
    }
    finish({ bytes: body.byteLength });
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
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
  body: http.IncomingMessage;
  finish(result: { bytes: number; error?: string | null }): void;
}

function get(url: URL, headers: Record<string, string>, signal?: AbortSignal): Promise<http.IncomingMessage> {
  const client = url.protocol === "https:" ? https : url.protocol === "http:" ? http : null;
  if (!client) return Promise.reject(new Error(`Unsupported protocol ${url.protocol}`));
  return new Promise((resolve, reject) => {
    const req = client.get(url, { headers, signal }, resolve);
    req.on("error", reject);
  });
}

function headerValue(value: string | string[] | undefined): string | null {
  return Array.isArray(value) ? (value[0] ?? null) : (value ?? null);
}

/** undici hides the real reason (ECONNREFUSED, ECONNRESET...) in `cause`. */
export function describeFetchError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  if (cause?.code) return `${cause.code}${cause.message && !cause.message.includes(cause.code) ? ` (${cause.message})` : ""}`;
  if (cause?.message) return cause.message;
  return error instanceof Error ? error.message : String(error);
}
