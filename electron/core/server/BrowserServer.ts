import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { WebSocketServer, type WebSocket } from "ws";
import { HearthError } from "../../shared/errors";
import { createHandlers, forwardEvents, invoke } from "../api/handlers";
import type { Core } from "../createCore";
import { checkHost, checkRequest, type GuardOptions } from "./requestGuard";
import { clientMessageSchema, SOCKET_PATH, TOKEN_META, type ServerMessage } from "./wireProtocol";

export interface BrowserServerOptions {
  core: Core;
  /** The built renderer (electron-vite's `out/renderer`). */
  rendererDir: string;
  host?: string;
  port?: number;
  /** Required, with `allowRemote`, to bind anything but loopback. */
  token?: string;
  allowRemote?: boolean;
  logError?: (error: unknown) => void;
}

export interface BrowserServer {
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

export function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127(\.\d{1,3}){3}$/.test(host);
}

/**
 * Browser mode: serves the built UI and the contract over a WebSocket, so the real app runs in any
 * browser against the real core. Loopback only unless asked; only the page it served may call.
 */
export async function startBrowserServer(options: BrowserServerOptions): Promise<BrowserServer> {
  const host = options.host ?? "127.0.0.1";
  const loopback = isLoopback(host);
  if (!loopback && !options.allowRemote) {
    throw new HearthError("INVALID_INPUT", `Binding to ${host} would expose Hearth to the network.`, {
      suggestion: "Pass --allow-remote and a --token to do it on purpose, or use 127.0.0.1.",
    });
  }
  if (!loopback && !options.token) {
    throw new HearthError("INVALID_INPUT", "A non-loopback address needs a --token.", { suggestion: "Choose a long random token." });
  }
  const token = options.token ?? randomBytes(24).toString("base64url");
  const indexHtml = await readIndex(options.rendererDir);
  const handlers = createHandlers(options.core);
  const logError = options.logError ?? ((error: unknown) => console.error(error));

  const server = http.createServer();
  const sockets = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 * 1024 });
  const allowedHosts = new Set<string>();
  const allowedOrigins = new Set<string>();
  const guard: GuardOptions = { token, allowedHosts, allowedOrigins };

  server.on("request", (request, response) => {
    void serveStatic(request, response).catch((error) => {
      logError(error);
      if (!response.headersSent) response.writeHead(500).end();
    });
  });

  server.on("upgrade", (request, socket, head) => {
    const url = requestUrl(request);
    const verdict = url.pathname === SOCKET_PATH ? checkRequest(request, url, remoteGuard(request)) : { ok: false as const, reason: "not found" };
    if (!verdict.ok) {
      socket.end(`HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\nUNAUTHORIZED: ${verdict.reason}\n`);
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) => serveSocket(ws));
  });

  /** In remote mode the page is same-origin with whatever name the user typed: the token guards it. */
  function remoteGuard(request: IncomingMessage): GuardOptions {
    if (loopback) return guard;
    const requestHost = (request.headers.host ?? "").toLowerCase();
    return { token, allowedHosts: new Set([requestHost]), allowedOrigins: new Set([`http://${requestHost}`]) };
  }

  function serveSocket(ws: WebSocket): void {
    const send = (message: ServerMessage) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
    };
    const unsubscribe = forwardEvents(options.core, (event, payload) => send({ type: "event", event, payload }));
    ws.on("close", unsubscribe);
    ws.on("message", (data) => {
      let parsed;
      try {
        parsed = clientMessageSchema.safeParse(JSON.parse(String(data)));
      } catch {
        parsed = null;
      }
      if (!parsed?.success) {
        send({ type: "result", id: -1, result: { ok: false, error: { code: "INVALID_INPUT", message: "Malformed message." } } });
        return;
      }
      const { id, call, input } = parsed.data;
      void invoke(handlers, call, input, logError).then((result) => send({ type: "result", id, result }));
    });
  }

  async function serveStatic(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (loopback && !checkHost(request, guard)) {
      response.writeHead(403, { "Content-Type": "text/plain" }).end("UNAUTHORIZED: host not allowed\n");
      return;
    }
    if (request.method !== "GET" && request.method !== "HEAD") {
      response.writeHead(405).end();
      return;
    }
    const pathname = decodeURIComponent(requestUrl(request).pathname);
    const file = path.resolve(options.rendererDir, `.${pathname}`);
    const insideRenderer = file === path.resolve(options.rendererDir) || file.startsWith(path.resolve(options.rendererDir) + path.sep);
    const headers = {
      "Content-Security-Policy":
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'",
      "X-Content-Type-Options": "nosniff",
      "Referrer-Policy": "no-referrer",
      "Cache-Control": "no-store",
    };
    if (pathname === "/" || pathname === "/index.html" || !path.extname(pathname)) {
      // The token goes into the page only on loopback; a remote user brings it in the URL.
      const html = loopback ? indexHtml.replace("</head>", `<meta name="${TOKEN_META}" content="${token}"></head>`) : indexHtml;
      response.writeHead(200, { ...headers, "Content-Type": CONTENT_TYPES[".html"] }).end(html);
      return;
    }
    if (!insideRenderer) {
      response.writeHead(404).end();
      return;
    }
    try {
      const body = await fs.readFile(file);
      response.writeHead(200, { ...headers, "Content-Type": CONTENT_TYPES[path.extname(file)] ?? "application/octet-stream" }).end(body);
    } catch {
      response.writeHead(404).end();
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(error.code === "EADDRINUSE" ? new HearthError("INVALID_INPUT", `Port ${options.port} is in use.`, { suggestion: "Pick another --port, or 0 for any free one." }) : error),
    );
    server.listen(options.port ?? 4870, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const displayHost = host.includes(":") ? `[${host}]` : host;
  for (const name of loopback ? [`${displayHost}:${port}`, `127.0.0.1:${port}`, `localhost:${port}`] : []) {
    allowedHosts.add(name.toLowerCase());
    allowedOrigins.add(`http://${name.toLowerCase()}`);
  }
  const url = `http://${displayHost}:${port}/${loopback ? "" : `#token=${token}`}`;

  return {
    url,
    token,
    async close() {
      for (const client of sockets.clients) client.terminate();
      sockets.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function readIndex(rendererDir: string): Promise<string> {
  try {
    return await fs.readFile(path.join(rendererDir, "index.html"), "utf8");
  } catch {
    throw new HearthError("NOT_FOUND", `The built UI is missing: ${path.join(rendererDir, "index.html")}`, { suggestion: "Run `npm run build` first." });
  }
}

/**
 * A request's path and query as a URL. Node gives only the path; the base is a fixed, unused origin
 * because Host is checked on its own (checkHost) and must never decide how the path is read.
 */
function requestUrl(request: IncomingMessage): URL {
  return new URL(request.url ?? "/", "http://request.invalid");
}
