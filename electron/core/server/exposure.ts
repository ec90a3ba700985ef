import fs from "node:fs/promises";
import http from "node:http";
import https from "node:https";
import os from "node:os";
import { HearthError } from "../../shared/errors";
import { isLoopback } from "../network/loopback";
import { secretBits } from "./requestGuard";

/** How a server of Hearth's (browser mode, the API) may be reached from other machines. */
export interface Exposure {
  /** Address to listen on; loopback unless `allowRemote`. */
  host: string;
  allowRemote?: boolean;
  tls?: { cert: string; key: string };
  /** Remote over plain HTTP, said on purpose (a trusted network, or TLS ended by a proxy). */
  insecureHttp?: boolean;
  /** More names the Host header may carry (DNS rebinding is refused for all others). */
  allowHosts?: readonly string[];
}

/** The strength a secret must have before it guards a server other machines can reach. */
export const MIN_REMOTE_SECRET_BITS = 128;

/**
 * One rule for every server Hearth opens beyond this machine: asked for on purpose, over TLS
 * (unless told the network is trusted), guarded by a strong secret. `secret` names what guards it
 * ("--token", "The API key") and is its value, or null when there is none.
 */
export function checkExposure(exposure: Exposure, secret: { name: string; value: string | null; flag: string }): void {
  if (isLoopback(exposure.host)) return;
  if (!exposure.allowRemote) {
    throw new HearthError("INVALID_INPUT", `Binding to ${exposure.host} would expose Hearth to the network.`, {
      suggestion: "Pass --allow-remote (with --tls-cert and --tls-key) to do it on purpose, or use 127.0.0.1.",
    });
  }
  if (secret.value === null) {
    throw new HearthError("INVALID_INPUT", `${secret.name} is required when other machines can reach it.`, { suggestion: `Give one with ${secret.flag}.` });
  }
  if (secretBits(secret.value) < MIN_REMOTE_SECRET_BITS) {
    throw new HearthError(
      "INVALID_INPUT",
      `${secret.name} is too weak for remote mode (about ${Math.floor(secretBits(secret.value))} bits; ${MIN_REMOTE_SECRET_BITS} needed).`,
      { suggestion: "Use at least 22 random letters and digits (the Server page makes such keys)." },
    );
  }
  if (!exposure.tls && !exposure.insecureHttp) {
    throw new HearthError("INVALID_INPUT", "Remote mode needs TLS: over plain HTTP the secret and every conversation would cross the network in clear.", {
      suggestion: "Pass --tls-cert and --tls-key, or --insecure-http if the network is yours or a proxy in front adds TLS.",
    });
  }
}

/** An HTTPS server with the exposure's certificate, else plain HTTP. */
export async function createListener(exposure: Pick<Exposure, "tls">): Promise<http.Server> {
  return exposure.tls ? https.createServer({ cert: await readPem(exposure.tls.cert), key: await readPem(exposure.tls.key) }) : http.createServer();
}

/** The names the Host header may carry: loopback's, or when remote every address of this machine, each with the port. */
export function allowedHostHeaders(exposure: Pick<Exposure, "host" | "allowHosts">, port: number): Set<string> {
  const bracket = (address: string) => (address.includes(":") ? `[${address}]` : address);
  const names = new Set<string>(["127.0.0.1", "localhost", "[::1]", bracket(exposure.host)]);
  if (!isLoopback(exposure.host)) {
    for (const addresses of Object.values(os.networkInterfaces())) for (const a of addresses ?? []) names.add(bracket(a.address.split("%")[0]!));
    names.add(os.hostname());
    names.add(`${os.hostname()}.local`);
  }
  for (const name of exposure.allowHosts ?? []) names.add(name);
  return new Set([...names].map((name) => `${name}:${port}`.toLowerCase()));
}

/** How a URL names the server: the machine's name when it listens on every address. */
export function displayHost(host: string): string {
  return host.includes(":") && host !== "::" ? `[${host}]` : host === "0.0.0.0" || host === "::" ? os.hostname() : host;
}

async function readPem(file: string): Promise<Buffer> {
  try {
    return await fs.readFile(file);
  } catch (error) {
    throw new HearthError("NOT_FOUND", `Cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`);
  }
}
