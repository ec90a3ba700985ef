import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";

export interface GuardOptions {
  token: string;
  /** Host headers this server answers to, e.g. `127.0.0.1:4870` and `localhost:4870`. */
  allowedHosts: ReadonlySet<string>;
  /** The one origin allowed to open the socket: the page this server served. */
  allowedOrigins: ReadonlySet<string>;
}

export type GuardVerdict = { ok: true } | { ok: false; reason: string };

/**
 * Decides whether a request may use the contract: the Host header must be ours (defeats DNS
 * rebinding), the Origin must be the page we served (defeats other web pages), and the per-run
 * token must match (defeats other local programs and pages that guess the port).
 */
export function checkRequest(request: IncomingMessage, url: URL, options: GuardOptions): GuardVerdict {
  const host = request.headers.host ?? "";
  if (!options.allowedHosts.has(host.toLowerCase())) return { ok: false, reason: `Host ${host || "(none)"} is not allowed` };
  const origin = request.headers.origin;
  if (!origin || !options.allowedOrigins.has(origin.toLowerCase())) return { ok: false, reason: `Origin ${origin ?? "(none)"} is not allowed` };
  const given = url.searchParams.get("token") ?? "";
  if (!sameSecret(given, options.token)) return { ok: false, reason: "missing or wrong token" };
  return { ok: true };
}

/** Host check alone, for the static page: serving it to a rebinding attacker's name would leak the token. */
export function checkHost(request: IncomingMessage, options: GuardOptions): boolean {
  return options.allowedHosts.has((request.headers.host ?? "").toLowerCase());
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
