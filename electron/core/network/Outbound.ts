import type { Readable } from "node:stream";
import { Agent, type Dispatcher, ProxyAgent, request } from "undici";
import { HearthError } from "../../shared/errors";
import type { NetworkPurpose } from "../../shared/modelHub";
import type { NetworkLog } from "./NetworkLog";
import { describeProxy, proxyFor } from "./proxy";

export interface OutboundRequest {
  purpose: NetworkPurpose;
  method?: string;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** A request body (JSON for a remote engine's API). */
  body?: string;
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
 * The one door out of the machine, on undici. Refuses at once when offline, goes through the
 * proxy Settings or the environment names, and writes every request to the network log (with
 * the proxy it went through). Everything that talks to the network (hub search, file lists,
 * header reads, downloads) goes through here.
 */
export class Outbound {
  private readonly direct = new Agent();
  private readonly proxies = new Map<string, ProxyAgent>();

  constructor(
    private readonly log: NetworkLog,
    private readonly isOffline: () => boolean,
    /** Offline by the environment (HEARTH_OFFLINE=1), which the Settings switch cannot undo. */
    private readonly offlineForced: () => boolean,
    /** The proxy field of Settings (empty: HTTPS_PROXY/HTTP_PROXY/NO_PROXY decide). */
    private readonly proxySetting: () => string = () => "",
  ) {}

  assertOnline(what: string): void {
    if (this.isOffline()) {
      throw new HearthError("OFFLINE", `Hearth is offline, so ${what} was not attempted.`, {
        suggestion: this.offlineForced() ? "Unset HEARTH_OFFLINE to allow network access." : "Turn off offline mode in Settings to allow network access.",
      });
    }
  }

  /**
   * A request whose answer is read as a stream (a model file, a reply streamed by a remote
   * engine). A GET follows redirects (the hub sends files from a CDN), dropping the Authorization
   * header when the origin changes; each hop is logged. Another method is sent once, its answer
   * returned as it is. The caller reads or destroys the body, then calls `finish`.
   */
  async openStream(url: string | URL, request: OutboundRequest): Promise<StreamResponse> {
    let target = new URL(url);
    let headers = { ...request.headers };
    const method = request.method ?? "GET";
    for (let hop = 0; hop < MAX_REDIRECTS; hop++) {
      const { response, entry } = await this.send(target, method, headers, request.purpose, request.signal, request.body);
      const location = header(response, "location");
      if (method === "GET" && response.statusCode >= 300 && response.statusCode < 400 && location) {
        discard(response.body);
        entry.finish({ status: response.statusCode });
        ({ target, headers } = redirected(target, location, headers));
        continue;
      }
      const status = response.statusCode;
      return {
        status,
        header: (name) => header(response, name),
        body: response.body,
        finish: ({ bytes, error }) => entry.finish({ status, bytes, error }),
      };
    }
    throw new HearthError("NETWORK", `Too many redirects fetching ${new URL(url).pathname}.`);
  }

  /**
   * Sends a request and reads the whole body: for API calls and header reads, whose answers are
   * small. Redirects are followed here, so each host the request reaches (the hub sends file
   * bytes from a CDN) is in the log, and the Authorization header never leaves the hub.
   */
  async fetch(url: string | URL, request: OutboundRequest): Promise<Response> {
    let target = new URL(url);
    let headers = { ...request.headers };
    const method = request.method ?? "GET";
    const timeout = AbortSignal.timeout(API_TIMEOUT_MS);
    const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
    for (let hop = 0; hop < MAX_REDIRECTS; hop++) {
      let sent: Awaited<ReturnType<Outbound["send"]>> | null = null;
      let body: Uint8Array<ArrayBuffer>;
      try {
        sent = await this.send(target, method, headers, request.purpose, signal, request.body);
        body = await readBody(sent.response.body, target, request.maxBodyBytes ?? MAX_API_BODY_BYTES, request.maxBodyBytes === undefined);
      } catch (error) {
        sent?.entry.finish({ status: sent.response.statusCode, error: describeFetchError(error) });
        if (request.signal?.aborted) throw request.signal.reason ?? error;
        if (timeout.aborted) throw new HearthError("NETWORK", `${target.host} did not answer within ${API_TIMEOUT_MS / 1000} s.`);
        if (error instanceof HearthError) throw error;
        throw new HearthError("NETWORK", `${target.host}'s answer broke off: ${describeFetchError(error)}`, { cause: error });
      }
      const { response, entry } = sent;
      entry.finish({ status: response.statusCode, bytes: body.byteLength });
      const location = header(response, "location");
      if (response.statusCode >= 300 && response.statusCode < 400 && location) {
        ({ target, headers } = redirected(target, location, headers));
        continue;
      }
      const responseHeaders = new Headers();
      for (const [name, value] of Object.entries(response.headers)) {
        for (const one of Array.isArray(value) ? value : [value]) if (one !== undefined) responseHeaders.append(name, one);
      }
      // A Response with a body cannot have a null-body status (204, 304).
      const nullBody = [101, 204, 205, 304].includes(response.statusCode);
      return new Response(nullBody ? null : body, { status: response.statusCode, headers: responseHeaders });
    }
    throw new HearthError("NETWORK", `Too many redirects fetching ${new URL(url).pathname}.`);
  }

  /** A `fetch` for libraries that take one (@huggingface/hub): same log, same offline switch, same proxy. */
  fetchFor(purpose: NetworkPurpose): typeof fetch {
    return (async (input: string | URL | Request, init?: RequestInit) => {
      const url = input instanceof Request ? input.url : input;
      const headers = Object.fromEntries(new Headers(init?.headers).entries());
      return this.fetch(url, { purpose, method: init?.method, headers, signal: init?.signal ?? undefined });
    }) as typeof fetch;
  }

  /** Closes idle connections (the process can then exit at once). */
  async close(): Promise<void> {
    await Promise.all([this.direct.close(), ...[...this.proxies.values()].map((agent) => agent.close())]);
  }

  /** One hop: logged as it goes out; a connection failure is a NETWORK error naming the host. */
  private async send(target: URL, method: string, headers: Record<string, string>, purpose: NetworkPurpose, signal?: AbortSignal, body?: string) {
    this.assertOnline(`the ${purpose} request to ${target.host}`);
    if (target.protocol !== "http:" && target.protocol !== "https:") {
      throw new HearthError("NETWORK", `Hearth does not fetch ${target.protocol} addresses.`);
    }
    const proxy = proxyFor(target, { setting: this.proxySetting(), env: process.env });
    const entry = this.log.begin(target, method, purpose, proxy ? describeProxy(proxy) : null);
    try {
      const response = await request(target, { method: method as Dispatcher.HttpMethod, headers, body, signal, dispatcher: this.dispatcher(proxy) });
      return { response, entry };
    } catch (error) {
      entry.finish({ error: describeFetchError(error) });
      if (signal?.aborted) throw signal.reason ?? error;
      const via = proxy ? ` through the proxy ${describeProxy(proxy)}` : "";
      throw new HearthError("NETWORK", `Could not reach ${target.host}${via}: ${describeFetchError(error)}`, {
        cause: error,
        suggestion: proxy ? "Check the proxy in Settings (or HTTPS_PROXY/NO_PROXY)." : undefined,
      });
    }
  }

  private dispatcher(proxy: string | null): Dispatcher {
    if (!proxy) return this.direct;
    let agent = this.proxies.get(proxy);
    if (!agent) {
      try {
        agent = new ProxyAgent(proxy);
      } catch (error) {
        throw new HearthError("INVALID_INPUT", `The proxy address ${describeProxy(proxy)} is not usable: ${describeFetchError(error)}`);
      }
      this.proxies.set(proxy, agent);
    }
    return agent;
  }
}

export interface StreamResponse {
  status: number;
  header(name: string): string | null;
  /** The body; read it to its end or destroy it. */
  body: Readable;
  finish(result: { bytes: number; error?: string | null }): void;
}

/** Closes a body not read to its end (undici reports that as an error, which nobody needs to hear). */
export function discard(body: Readable): void {
  body.on("error", () => undefined);
  body.destroy();
}

function header(response: Dispatcher.ResponseData, name: string): string | null {
  const value = response.headers[name.toLowerCase()];
  return (Array.isArray(value) ? value[0] : value) ?? null;
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
 * The body, or its first `limit` bytes (the rest is never read: the connection is closed).
 * With `refuseLonger`, a body past the limit is an error rather than cut short.
 */
async function readBody(body: Readable, from: URL, limit: number, refuseLonger: boolean): Promise<Uint8Array<ArrayBuffer>> {
  const chunks: Buffer[] = [];
  let length = 0;
  // Refusing needs one byte past the limit as proof; cutting short stops at the limit.
  const stopAt = refuseLonger ? limit + 1 : limit;
  for await (const chunk of body) {
    chunks.push(chunk as Buffer);
    length += (chunk as Buffer).byteLength;
    if (length >= stopAt) break;
  }
  discard(body);
  if (refuseLonger && length > limit) {
    throw new HearthError("NETWORK", `${from.host} sent an answer larger than ${limit >> 20} MiB; Hearth stopped reading it.`);
  }
  const whole = new Uint8Array(Math.min(length, limit));
  let at = 0;
  for (const chunk of chunks) {
    const take = chunk.subarray(0, whole.length - at);
    whole.set(take, at);
    at += take.byteLength;
  }
  return whole;
}

/** undici hides the real reason (ECONNREFUSED, ECONNRESET...) in `cause`. */
export function describeFetchError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  if (cause?.code) return `${cause.code}${cause.message && !cause.message.includes(cause.code) ? ` (${cause.message})` : ""}`;
  if (cause?.message) return cause.message;
  return error instanceof Error ? error.message : String(error);
}
