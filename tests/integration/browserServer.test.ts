import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fs from "node:fs";
import path from "node:path";
import WebSocket from "ws";
import { createCore, type Core } from "../../electron/core/createCore";
import { startBrowserServer, type BrowserServer } from "../../electron/core/server/BrowserServer";
import { tempDir } from "../support/tempDir";

const root = tempDir();
const rendererDir = path.join(root, "renderer");
fs.mkdirSync(rendererDir);
fs.writeFileSync(path.join(rendererDir, "index.html"), "<html><head><title>Hearth</title></head><body></body></html>");
fs.writeFileSync(path.join(rendererDir, "app.js"), "console.log('hi')");

let core: Core;
let server: BrowserServer;
let port: number;

beforeAll(async () => {
  core = createCore({ dataDir: path.join(root, "data") });
  server = await startBrowserServer({ core, rendererDir, port: 0 });
  port = Number(new URL(server.url).port);
});
afterAll(async () => {
  await server.close();
  await core.close();
});

/** Opens the socket as a page would; resolves with the socket, or the HTTP status it was refused with. */
function connect(options: { token?: string; origin?: string; host?: string }): Promise<WebSocket | number> {
  const query = options.token === undefined ? "" : `?token=${encodeURIComponent(options.token)}`;
  const ws = new WebSocket(`ws://127.0.0.1:${port}/api${query}`, {
    headers: { ...(options.host ? { Host: options.host } : {}) },
    origin: options.origin ?? `http://127.0.0.1:${port}`,
  });
  return new Promise((resolve) => {
    ws.on("open", () => resolve(ws));
    ws.on("unexpected-response", (_request, response) => resolve(response.statusCode ?? 0));
    ws.on("error", () => resolve(0));
  });
}

function call(ws: WebSocket, id: number, name: string, input: unknown): Promise<unknown> {
  return new Promise((resolve) => {
    ws.on("message", (data) => {
      const message = JSON.parse(String(data));
      if (message.type === "result" && message.id === id) resolve(message.result);
    });
    ws.send(JSON.stringify({ id, call: name, input }));
  });
}

describe("browser mode server", () => {
  it("prints a loopback URL and serves the UI with its per-run token and a strict CSP", async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const response = await fetch(server.url);
    expect(response.headers.get("content-security-policy")).toMatch(/default-src 'self'/);
    expect(await response.text()).toContain(`<meta name="hearth-token" content="${server.token}">`);
    expect((await fetch(`${server.url}app.js`)).status).toBe(200);
    // The database sits next to the renderer folder here: a path that climbs out must not reach it.
    expect((await fetch(`${server.url}..%2Fdata%2Fhearth.db`)).status).toBe(404);
  });

  it("answers contract calls from the page it served", async () => {
    const ws = await connect({ token: server.token });
    expect(ws).toBeInstanceOf(WebSocket);
    const socket = ws as WebSocket;
    expect(await call(socket, 1, "conversations.create", { title: "From the browser" })).toMatchObject({ ok: true, value: { title: "From the browser" } });
    expect(await call(socket, 2, "conversations.list", {})).toMatchObject({ ok: true, value: [{ title: "From the browser" }] });
    expect(await call(socket, 3, "chat.send", { text: "" })).toMatchObject({ ok: false, error: { code: "INVALID_INPUT" } });
    socket.close();
  });

  it("refuses a socket without the secret, with a wrong one, from a foreign Origin, or for a foreign Host", async () => {
    expect(await connect({})).toBe(403);
    expect(await connect({ token: "guess" })).toBe(403);
    expect(await connect({ token: server.token, origin: "http://evil.example" })).toBe(403);
    expect(await connect({ token: server.token, host: `rebound.example:${port}` })).toBe(403);
  });

  it("does not serve the page (and its token) to a foreign Host name: DNS rebinding", async () => {
    const response = await new Promise<number>((resolve) => {
      import("node:http").then(({ request }) =>
        request({ host: "127.0.0.1", port, path: "/", headers: { Host: `rebound.example:${port}` } }, (res) => resolve(res.statusCode ?? 0)).end(),
      );
    });
    expect(response).toBe(403);
  });

  it("refuses a non-loopback address unless asked, and then only with a token", async () => {
    await expect(startBrowserServer({ core, rendererDir, host: "0.0.0.0", port: 0 })).rejects.toMatchObject({ code: "INVALID_INPUT" });
    await expect(startBrowserServer({ core, rendererDir, host: "0.0.0.0", port: 0, allowRemote: true })).rejects.toMatchObject({ message: expect.stringMatching(/token/) });
  });
});
