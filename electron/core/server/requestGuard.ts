import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";

export interface GuardOptions {
  /** The per-run secret printed in the address; traded on first load for the session cookie. */
  token: string;
  /** The session cookie's value: a second secret, so the token itself never sits in a cookie jar. */
  session: string;
  /** Per port, since browsers share cookies between the ports of one host. */
  cookieName: string;
  /** Host headers this server answers to, e.g. `127.0.0.1:4870` and `localhost:4870`. */
  allowedHosts: ReadonlySet<string>;
  scheme: "http" | "https";
}

/**
 * The Host header must be a name of ours: a page on a rebinding attacker's domain reaches this
 * port with its own name in Host, and gets nothing.
 */
export function hostAllowed(request: IncomingMessage, options: GuardOptions): boolean {
  return options.allowedHosts.has((request.headers.host ?? "").toLowerCase());
}

/** A socket may be opened only by the page this server served: same scheme, same host. */
export function originAllowed(request: IncomingMessage, options: GuardOptions): boolean {
  const origin = request.headers.origin?.toLowerCase();
  return origin !== undefined && hostAllowed(request, options) && origin === `${options.scheme}://${(request.headers.host ?? "").toLowerCase()}`;
}

/** The session cookie, the token in the query (`?token=`), or `Authorization: Bearer <token>`. */
export function authenticated(request: IncomingMessage, url: URL, options: GuardOptions): boolean {
  const cookie = readCookie(request.headers.cookie, options.cookieName);
  if (cookie !== null && sameSecret(cookie, options.session)) return true;
  return tokenGiven(request, url, options);
}

export function tokenGiven(request: IncomingMessage, url: URL, options: GuardOptions): boolean {
  const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? "")?.[1];
  const given = url.searchParams.get("token") ?? bearer;
  return given !== undefined && given !== null && sameSecret(given, options.token);
}

/** HttpOnly: no script (ours included) can read it; SameSite=Strict: no other site's page sends it. */
export function sessionCookie(options: GuardOptions): string {
  const secure = options.scheme === "https" ? "; Secure" : "";
  return `${options.cookieName}=${options.session}; Path=/; HttpOnly; SameSite=Strict${secure}`;
}

function readCookie(header: string | undefined, name: string): string | null {
  for (const part of (header ?? "").split(";")) {
    const at = part.indexOf("=");
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return null;
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Bits of a secret by its length and the kinds of characters in it (an upper bound for a chosen
 * one; exact for a random one). Remote mode wants 128.
 */
export function secretBits(secret: string): number {
  let alphabet = 0;
  if (/[a-z]/.test(secret)) alphabet += 26;
  if (/[A-Z]/.test(secret)) alphabet += 26;
  if (/[0-9]/.test(secret)) alphabet += 10;
  if (/[^a-zA-Z0-9]/.test(secret)) alphabet += 33;
  const distinct = new Set(secret).size;
  return distinct < 8 ? 0 : secret.length * Math.log2(Math.max(alphabet, 2));
}
