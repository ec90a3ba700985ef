import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { TOKEN_PROTOCOL_PREFIX } from "./wireProtocol";

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

/** For the page's files: the session cookie, or the token itself. */
export function authenticated(request: IncomingMessage, url: URL, options: GuardOptions): boolean {
  if (readCookies(request.headers.cookie, options.cookieName).some((value) => sameSecret(value, options.session))) return true;
  return tokenGiven(request, url, options);
}

/**
 * The token itself: in the query (`?token=`), as `Authorization: Bearer <token>`, or as a
 * WebSocket subprotocol (`hearth.token.<token>`, the one header a page's WebSocket can set). The
 * socket takes nothing less: browsers send a host's cookies to every port on it, so a page another
 * local program serves on 127.0.0.1 would receive the cookie, and must not be able to use it here.
 */
export function tokenGiven(request: IncomingMessage, url: URL, options: GuardOptions): boolean {
  const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? "")?.[1];
  const offered = String(request.headers["sec-websocket-protocol"] ?? "")
    .split(",")
    .map((p) => p.trim())
    .find((p) => p.startsWith(TOKEN_PROTOCOL_PREFIX))
    ?.slice(TOKEN_PROTOCOL_PREFIX.length);
  const given = url.searchParams.get("token") ?? bearer ?? offered;
  return given !== undefined && given !== null && sameSecret(given, options.token);
}

/** HttpOnly: no script (ours included) can read it; SameSite=Strict: no other site's page sends it. */
export function sessionCookie(options: GuardOptions): string {
  const secure = options.scheme === "https" ? "; Secure" : "";
  return `${options.cookieName}=${options.session}; Path=/; HttpOnly; SameSite=Strict${secure}`;
}

/** Every value sent under `name`: another page on this host may have set one of the same name (another path). */
function readCookies(header: string | undefined, name: string): string[] {
  const values: string[] = [];
  for (const part of (header ?? "").split(";")) {
    const at = part.indexOf("=");
    if (at > 0 && part.slice(0, at).trim() === name) values.push(part.slice(at + 1).trim());
  }
  return values;
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
