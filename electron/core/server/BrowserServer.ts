import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import path from "node:path";
import { WebSocketServer, type WebSocket } from "ws";
import { HearthError } from "../../shared/errors";
import { createHandlers, forwardEvents, invoke } from "../api/handlers";
import type { Core } from "../createCore";
import { logError as writeErrorLog } from "../errorLog";
import { allowedHostHeaders, checkExposure, createListener, displayHost } from "./exposure";
import { authenticated, hostAllowed, originAllowed, sessionCookie, tokenGiven, type GuardOptions } from "./requestGuard";
import { clientMessageSchema, MAX_SOCKET_MESSAGE_BYTES, SOCKET_PATH, SOCKET_PROTOCOL, type ServerMessage } from "./wireProtocol";

export interface BrowserServerOptions {
  core: Core;
  /** The built renderer (electron-vite's `out/renderer`). */
  rendererDir: string;
  host?: string;
  port?: number;
  /** The secret the address carries. Generated unless given; remote mode wants 128 bits of it. */
  token?: string;
  allowRemote?: boolean;
  /** PEM files: remote mode serves HTTPS, so the token and the session never cross the network in clear. */
  tls?: { cert: string; key: string };
  /** Remote mode over plain HTTP, on purpose (a trusted network, or TLS ended by a proxy in front). */
  insecureHttp?: boolean;
  /** Names a remote browser may reach this machine by, beyond its addresses and host name. */
  allowHosts?: readonly string[];
  logError?: (error: unknown) => void;
  /** One line about a socket closed for breaking the protocol, or a refused request. */
  logLine?: (line: string) => void;
  /** Answers waiting for a client that does not read them before it is cut off (tests lower it). */
  maxUnreadBytes?: number;
}

export interface BrowserServer {
  /** The address to open, token included: printed once, traded for a session cookie on first load. */
  url: string;
  token: string;
  close(): Promise<void>;
}

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".woff2": "font/woff2",
  ".woff": "font/woff",
  ".ttf": "font/ttf",
  ".json": "application/json",
};

const SECURITY_HEADERS = {
  "Content-Security-Policy":
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  "Cache-Control": "no-store",
};

/** Calls one socket may have unanswered at once: the page never has more than a handful. */
const MAX_CALLS_IN_FLIGHT = 32;
/** Answers and events waiting for a client that does not read them, before it is cut off. */
const MAX_UNREAD_BYTES = 64 * 1024 * 1024;

/**
 * Browser mode: serves the built UI and the contract over a WebSocket, so the real app runs in any
 * browser against the real core. Every route needs the per-run token or the session cookie it is
 * traded for; loopback only unless asked, and then over TLS unless told otherwise.
 */
export async function startBrowserServer(options: BrowserServerOptions): Promise<BrowserServer> {
  const host = options.host ?? "127.0.0.1";
  const token = options.token ?? randomBytes(32).toString("base64url");
  checkExposure({ ...options, host }, { name: "The --token", value: token, flag: "--token-file" });
  const indexHtml = await readIndex(options.rendererDir);
  const handlers = createHandlers(options.core);
  const logError = options.logError ?? ((error: unknown) => writeErrorLog(error, "browser mode"));
  const logLine = options.logLine ?? ((line: string) => process.stderr.write(`${line}\n`));
  const scheme = options.tls ? "https" : "http";

  const server = await createListener(options);
  // The token offered as a subprotocol is never echoed back: the answer names the plain protocol.
  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_SOCKET_MESSAGE_BYTES, handleProtocols: () => SOCKET_PROTOCOL });
  const allowedHosts = new Set<string>();
  const guard: GuardOptions = { token, session: randomBytes(32).toString("base64url"), cookieName: "hearth_session", allowedHosts, scheme };

  server.on("request", (request, response) => {
    void serveHttp(request, response).catch((error) => {
      logError(error);
      if (!response.headersSent) response.writeHead(500).end();
    });
  });
  // A malformed request or a reset connection is that client's problem, never the server's end.
  server.on("clientError", (_error, socket: Socket) => {
    if (socket.writable) socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
    else socket.destroy();
  });

  server.on("upgrade", (request: IncomingMessage, socket: Socket, head: Buffer) => {
    socket.on("error", () => socket.destroy());
    const url = requestUrl(request);
    const refusal =
      url === null || url.pathname !== SOCKET_PATH
        ? "not found"
        : !hostAllowed(request, guard)
          ? `Host ${request.headers.host ?? "(none)"} is not allowed`
          : !originAllowed(request, guard)
            ? `Origin ${request.headers.origin ?? "(none)"} is not allowed`
            : !tokenGiven(request, url, guard)
              ? "missing or wrong token"
              : null;
    if (refusal) {
      socket.end(`HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\nUNAUTHORIZED: ${refusal}\n`);
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) => serveSocket(ws));
  });

  function serveSocket(ws: WebSocket): void {
    let inFlight = 0;
    const send = (message: ServerMessage) => {
      if (ws.readyState !== ws.OPEN) return;
      ws.send(JSON.stringify(message));
      // A client that never reads its answers would have them pile up in this process's memory.
      if (ws.bufferedAmount > (options.maxUnreadBytes ?? MAX_UNREAD_BYTES)) {
        logLine("Browser mode: closed a socket that does not read its answers.");
        ws.terminate();
      }
    };
    const unsubscribe = forwardEvents(options.core, (event, payload) => send({ type: "event", event, payload }));
    ws.on("close", unsubscribe);
    // ws has already closed the socket with the code the fault calls for (1009 too big, 1007 bad
    // UTF-8, 1002 protocol error); without this listener the fault would end the whole server.
    ws.on("error", (error: Error & { code?: string }) => logLine(`Browser mode: closed a socket that broke the protocol (${error.code ?? error.message}).`));
    ws.on("message", (data, isBinary) => {
      let parsed: ReturnType<typeof clientMessageSchema.safeParse> | null;
      try {
        parsed = isBinary ? null : clientMessageSchema.safeParse(JSON.parse(String(data)));
      } catch {
        parsed = null;
      }
      if (!parsed?.success) {
        send({ type: "result", id: -1, result: { ok: false, error: { code: "INVALID_INPUT", message: "Malformed message." } } });
        return;
      }
      const { id, call, input } = parsed.data;
      if (inFlight >= MAX_CALLS_IN_FLIGHT) {
        const message = `Too many calls at once on this connection (at most ${MAX_CALLS_IN_FLIGHT}); wait for their answers.`;
        send({ type: "result", id, result: { ok: false, error: { code: "INVALID_INPUT", message } } });
        return;
      }
      inFlight++;
      void invoke(handlers, call, input, logError)
        .then((result) => send({ type: "result", id, result }))
        .finally(() => inFlight--);
    });
  }

  async function serveHttp(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = requestUrl(request);
    if (!hostAllowed(request, guard)) return plain(response, 403, "UNAUTHORIZED: host not allowed");
    if (request.method !== "GET" && request.method !== "HEAD") return plain(response, 405, "Method not allowed");
    let pathname: string;
    try {
      pathname = decodeURIComponent(url?.pathname ?? "");
    } catch {
      pathname = "";
    }
    if (!url || !pathname.startsWith("/") || pathname.includes("\0")) return plain(response, 400, "Bad request");
    if (!authenticated(request, url, guard)) {
      return page(response, 401, "Hearth", "<h1>Hearth</h1><p>Open the address that <code>hearth serve</code> printed: it carries this run's token.</p>");
    }
    if (url.searchParams.has("token")) {
      // Only the token itself earns the redirect that carries it: a cookie holder never learns it.
      if (!tokenGiven(request, url, guard)) return plain(response, 401, "Wrong token");
      // The cookie opens the page's files; the token moves to the fragment, which no request
      // carries, for the page to keep in this tab (sessionStorage) and bring to the socket.
      response.writeHead(303, { ...SECURITY_HEADERS, "Set-Cookie": sessionCookie(guard), Location: `/#token=${guard.token}` }).end();
      return;
    }
    if (pathname === "/" || pathname === "/index.html" || !path.extname(pathname)) {
      response.writeHead(200, { ...SECURITY_HEADERS, "Content-Type": CONTENT_TYPES[".html"] }).end(indexHtml);
      return;
    }
    const root = path.resolve(options.rendererDir);
    const file = path.resolve(root, `.${pathname}`);
    if (!file.startsWith(root + path.sep)) return plain(response, 404, "Not found");
    try {
      const body = await fs.readFile(file);
      response.writeHead(200, { ...SECURITY_HEADERS, "Content-Type": CONTENT_TYPES[path.extname(file)] ?? "application/octet-stream" }).end(body);
    } catch {
      plain(response, 404, "Not found");
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(
        error.code === "EADDRINUSE"
          ? new HearthError("INVALID_INPUT", `Port ${options.port} is in use.`, { suggestion: "Pick another --port, or 0 for any free one." })
          : error,
      ),
    );
    server.listen(options.port ?? 4870, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  guard.cookieName = `hearth_session_${port}`;
  for (const name of allowedHostHeaders({ host, allowHosts: options.allowHosts }, port)) allowedHosts.add(name);
  const url = `${scheme}://${displayHost(host)}:${port}/?token=${token}`;

  return {
    url,
    token,
    async close() {
      for (const client of sockets.clients) client.terminate();
      sockets.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function plain(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, { ...SECURITY_HEADERS, "Content-Type": "text/plain; charset=utf-8" }).end(`${text}\n`);
}

function page(response: ServerResponse, status: number, title: string, body: string): void {
  response
    .writeHead(status, { ...SECURITY_HEADERS, "Content-Type": CONTENT_TYPES[".html"] })
    .end(`<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body>${body}</body></html>`);
}

async function readIndex(rendererDir: string): Promise<string> {
  try {
    return await fs.readFile(path.join(rendererDir, "index.html"), "utf8");
  } catch {
    throw new HearthError("NOT_FOUND", `The built UI is missing: ${path.join(rendererDir, "index.html")}`, { suggestion: "Run `npm run build` first." });
  }
}

/**
 * A request's path and query as a URL, or null when it cannot be read. Node gives only the path;
 * the base is a fixed, unused origin because Host is checked on its own and must never decide how
 * the path is read.
 */
function requestUrl(request: IncomingMessage): URL | null {
  try {
    return new URL(request.url ?? "/", "http://request.invalid");
  } catch {
    return null;
  }
}
