/**
 * A forward proxy for tests: answers CONNECT by tunnelling to one local port, whatever host the
 * client named (so a request for `models.example` reaches the fake hub), and records each CONNECT.
 */
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import net from "node:net";

export interface ConnectProxy {
  url: string;
  /** The `host:port` of each tunnel asked for. */
  connects: string[];
  close(): Promise<void>;
}

export async function startConnectProxy(targetPort: number): Promise<ConnectProxy> {
  const connects: string[] = [];
  const sockets = new Set<Socket>();
  const server = http.createServer((_req, res) => res.writeHead(405).end());
  server.on("connect", (req: http.IncomingMessage, client: Socket, head: Buffer) => {
    connects.push(req.url ?? "");
    sockets.add(client);
    const upstream = net.connect(targetPort, "127.0.0.1", () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    upstream.on("error", end);
    client.on("error", end);
    client.on("close", end);
    upstream.on("close", end);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    connects,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
