import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fs from "node:fs";
import https from "node:https";
import path from "node:path";
import { createCore, type Core } from "../../electron/core/createCore";
import { startBrowserServer, type BrowserServer } from "../../electron/core/server/BrowserServer";
import { rawGet, RawSocket } from "../support/rawClient";
import { tempDir } from "../support/tempDir";

const root = tempDir();
const rendererDir = path.join(root, "renderer");
fs.mkdirSync(rendererDir);
fs.writeFileSync(path.join(rendererDir, "index.html"), "<html><head><title>Hearth</title></head><body></body></html>");
fs.writeFileSync(path.join(rendererDir, "app.js"), "console.log('hi')");
const tlsDir = path.join(__dirname, "../support/tls");

let core: Core;
let server: BrowserServer;
let port: number;
let cookie: string;
const logged: string[] = [];

beforeAll(async () => {
  core = createCore({ dataDir: path.join(root, "data") });
  server = await startBrowserServer({ core, rendererDir, port: 0, logLine: (line) => logged.push(line) });
  port = Number(new URL(server.url).port);
  const traded = await rawGet(port, `/?token=${server.token}`);
  cookie = String(traded.headers["set-cookie"]?.[0]).split(";")[0]!;
});
afterAll(async () => {
  await server.close();
  await core.close();
});

const origin = () => `http://127.0.0.1:${port}`;
/** The socket as the page opens it: its own Origin, the token offered as a subprotocol (the cookie too). */
const asPage = (token = server.token) => ({ Origin: origin(), Cookie: cookie, "Sec-WebSocket-Protocol": `hearth, hearth.token.${token}` });

describe("browser mode: who gets in", () => {
  it("prints the address with the token once, and hands no secret to a plain request", async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{43}$/);
    for (const pathname of ["/", "/index.html", "/app.js", "/settings"]) {
      const response = await rawGet(port, pathname);
      expect(response.status).toBe(401);
      expect(response.body).not.toContain(server.token);
      expect(response.headers["set-cookie"]).toBeUndefined();
    }
  });

  it("trades the token for an HttpOnly, SameSite=Strict cookie and moves it to the fragment, which no request carries", async () => {
    const response = await rawGet(port, `/?token=${server.token}`);
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe(`/#token=${server.token}`);
    // Wherever the address pointed, the redirect stays on this server (no open redirect).
    expect((await rawGet(port, `/a/..//evil.example/?token=${server.token}`)).headers.location).toBe(`/#token=${server.token}`);
    // A cookie holder with a wrong token learns nothing.
    const guess = await rawGet(port, "/?token=guess", { Cookie: cookie });
    expect(guess.status).toBe(401);
    expect(JSON.stringify(guess)).not.toContain(server.token);
    const setCookie = String(response.headers["set-cookie"]?.[0]);
    expect(setCookie).toMatch(new RegExp(`^hearth_session_${port}=`));
    expect(setCookie).toContain("HttpOnly");
    expect(setCookie).toContain("SameSite=Strict");
    expect(setCookie).not.toContain(server.token);
    expect((await rawGet(port, "/?token=guess")).status).toBe(401);

    const page = await rawGet(port, "/", { Cookie: cookie });
    expect(page.status).toBe(200);
    expect(page.headers["content-security-policy"]).toMatch(/default-src 'self'/);
    expect(page.body).not.toContain(server.token);
    expect((await rawGet(port, "/app.js", { Cookie: cookie })).status).toBe(200);
    // The database sits next to the renderer folder here: a path that climbs out must not reach it.
    expect((await rawGet(port, "/..%2Fdata%2Fhearth.db", { Cookie: cookie })).status).toBe(404);
  });

  it("answers contract calls over a socket that offers the token as the page does", async () => {
    const socket = await RawSocket.open(port, asPage());
    expect(socket).toBeInstanceOf(RawSocket);
    const ws = socket as RawSocket;
    expect(await ws.call(1, "conversations.create", { title: "From the browser" })).toMatchObject({ ok: true, value: { title: "From the browser" } });
    expect(await ws.call(2, "conversations.list", {})).toMatchObject({ ok: true, value: [{ title: "From the browser" }] });
    expect(await ws.call(3, "chat.send", { text: "" })).toMatchObject({ ok: false, error: { code: "INVALID_INPUT" } });
    ws.destroy();
  });

  it("refuses a socket with a copied Origin but no token, a wrong one, a foreign Origin or Host", async () => {
    expect(await RawSocket.open(port, { Origin: origin() })).toBe(403);
    expect(await RawSocket.open(port, asPage("guess"))).toBe(403);
    expect(await RawSocket.open(port, { Origin: origin() }, "/api?token=guess")).toBe(403);
    expect(await RawSocket.open(port, { ...asPage(), Origin: "http://evil.example" })).toBe(403);
    expect(await RawSocket.open(port, { ...asPage(), Origin: `http://rebound.example:${port}`, Host: `rebound.example:${port}` })).toBe(403);
  });

  it("does not open the socket for the cookie alone: browsers send it to every port of the host, so another local page gets it", async () => {
    expect(await RawSocket.open(port, { Origin: origin(), Cookie: cookie })).toBe(403);
    // A second cookie of the same name (set by another page for another path) locks no one out.
    expect((await rawGet(port, "/", { Cookie: `hearth_session_${port}=x; ${cookie}` })).status).toBe(200);
  });

  it("does not serve anything to a foreign Host name (DNS rebinding)", async () => {
    expect((await rawGet(port, `/?token=${server.token}`, { Host: `rebound.example:${port}` })).status).toBe(403);
  });

  it("answers a bad percent-escape with 400, not a stack trace", async () => {
    const response = await rawGet(port, "/%E0%A4%A", { Cookie: cookie });
    expect(response.status).toBe(400);
    expect(response.body).not.toMatch(/at .*\.ts/);
    expect((await rawGet(port, "/", { Cookie: cookie })).status).toBe(200);
  });
});

describe("browser mode: a bad frame closes that socket only", () => {
  const cases = [
    { name: "a 17 MiB message", code: 1009, send: (ws: RawSocket) => ws.sendText(Buffer.alloc(17 * 1024 * 1024, 0x20)) },
    { name: "a text frame with invalid UTF-8", code: 1007, send: (ws: RawSocket) => ws.sendText(Buffer.from([0x22, 0xc3, 0x28, 0x22])) },
    { name: "an unmasked client frame", code: 1002, send: (ws: RawSocket) => ws.sendFrame(0x1, Buffer.from("{}"), { masked: false }) },
    { name: "an unknown opcode", code: 1002, send: (ws: RawSocket) => ws.sendFrame(0x3, Buffer.from("x")) },
  ];
  for (const { name, code, send } of cases) {
    it(`${name}: closed with ${code}, logged in one line, the others served`, async () => {
      const bystander = (await RawSocket.open(port, asPage())) as RawSocket;
      const attacker = (await RawSocket.open(port, asPage())) as RawSocket;
      const before = logged.length;
      send(attacker);
      expect(await attacker.closeCode()).toBe(code);
      expect(logged.length).toBe(before + 1);
      expect(logged.at(-1)).toMatch(/^Browser mode: closed a socket/);
      expect(await bystander.call(1, "conversations.list", {})).toMatchObject({ ok: true });
      bystander.destroy();
    });
  }
});

describe("browser mode: one client cannot starve the rest", () => {
  it("answers at most 32 calls in flight per socket; the rest at once with a clear refusal", async () => {
    const ws = (await RawSocket.open(port, asPage())) as RawSocket;
    ws.sendTexts(Array.from({ length: 100 }, (_, i) => JSON.stringify({ id: i + 1, call: "conversations.list", input: {} })));
    const answers: { ok: boolean; error?: { message: string } }[] = [];
    while (answers.length < 100) {
      const message = JSON.parse((await ws.readFrame())!.payload.toString("utf8"));
      if (message.type === "result") answers.push(message.result);
    }
    expect(answers.filter((a) => a.ok).length).toBeGreaterThanOrEqual(32);
    expect(answers.find((a) => !a.ok)?.error?.message).toMatch(/Too many calls at once/);
    expect(await ws.call(1000, "conversations.list", {})).toMatchObject({ ok: true });
    ws.destroy();
  });

  it("cuts off a client that does not read its answers, and serves the others", async () => {
    const lines: string[] = [];
    const tight = await startBrowserServer({ core, rendererDir, port: 0, logLine: (line) => lines.push(line), maxUnreadBytes: 256 * 1024 });
    try {
      const tightPort = Number(new URL(tight.url).port);
      const headers = { Origin: `http://127.0.0.1:${tightPort}`, "Sec-WebSocket-Protocol": `hearth, hearth.token.${tight.token}` };
      for (let i = 0; i < 60; i++) core.conversations.createConversation({ title: "x".repeat(500) });
      const sluggard = (await RawSocket.open(tightPort, headers)) as RawSocket;
      sluggard.stopReading();
      // 30 MB of answers asked for, none read.
      for (let round = 0; round < 50 && !lines.length; round++) {
        sluggard.sendTexts(Array.from({ length: 20 }, (_, i) => JSON.stringify({ id: round * 20 + i, call: "conversations.list", input: {} })));
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(lines).toContain("Browser mode: closed a socket that does not read its answers.");
      const other = (await RawSocket.open(tightPort, headers)) as RawSocket;
      expect(await other.call(1, "conversations.list", { limit: 1 })).toMatchObject({ ok: true });
      other.destroy();
      sluggard.destroy();
    } finally {
      await tight.close();
    }
  });

  it("searches with at most the 8 longest words of a query", async () => {
    const started = performance.now();
    core.conversations.searchConversations("a b c d e f g h i j k l m n o p q r s t u v w x y z ".repeat(10));
    expect(performance.now() - started).toBeLessThan(5_000);
    const found = core.conversations.searchConversations(`${"b ".repeat(200)} browser`);
    expect(found.map((c) => c.title)).toContain("From the browser");
  });
});

describe("browser mode: remote", () => {
  const remote = { host: "0.0.0.0", port: 0, allowRemote: true } as const;

  it("refuses a non-loopback address unless asked, a weak token, and plain HTTP unless told", async () => {
    await expect(startBrowserServer({ core, rendererDir, host: "0.0.0.0", port: 0 })).rejects.toMatchObject({ code: "INVALID_INPUT" });
    await expect(startBrowserServer({ core, rendererDir, ...remote, token: "a", insecureHttp: true })).rejects.toMatchObject({ message: /too weak/ });
    await expect(startBrowserServer({ core, rendererDir, ...remote, token: "abcabcabcabcabcabcabcabcabcabc", insecureHttp: true })).rejects.toMatchObject({
      message: /too weak/,
    });
    await expect(startBrowserServer({ core, rendererDir, ...remote })).rejects.toMatchObject({ message: /needs TLS/ });
  });

  it("generates a strong token, and serves HTTPS with a Secure cookie", async () => {
    const tls = { cert: path.join(tlsDir, "localhost-cert.pem"), key: path.join(tlsDir, "localhost-key.pem") };
    const secure = await startBrowserServer({ core, rendererDir, ...remote, tls });
    try {
      const url = new URL(secure.url);
      expect(url.protocol).toBe("https:");
      expect(secure.token.length).toBeGreaterThanOrEqual(43);
      const response = await new Promise<{ status: number; cookie: string }>((resolve, reject) => {
        https
          .get(
            { host: "127.0.0.1", port: url.port, path: `/?token=${secure.token}`, ca: fs.readFileSync(tls.cert), headers: { Host: `127.0.0.1:${url.port}` } },
            (res) => resolve({ status: res.statusCode ?? 0, cookie: String(res.headers["set-cookie"]?.[0]) }),
          )
          .on("error", reject);
      });
      expect(response.status).toBe(303);
      expect(response.cookie).toContain("; Secure");
    } finally {
      await secure.close();
    }
  });
});
