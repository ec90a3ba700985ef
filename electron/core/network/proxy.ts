/** Where a request goes out: the proxy named in Settings, else the one the environment names. */
export interface ProxyConfig {
  /** The Settings field; empty: the environment decides. */
  setting: string;
  env: NodeJS.ProcessEnv;
}

/**
 * The proxy for `url`, or null to connect directly. The Settings field wins over
 * HTTPS_PROXY/HTTP_PROXY (upper or lower case, as curl reads them); NO_PROXY applies to both.
 * This machine's own addresses are never proxied (as browsers do): a proxy elsewhere cannot
 * reach them.
 */
export function proxyFor(url: URL, { setting, env }: ProxyConfig): string | null {
  const https = url.protocol === "https:";
  const proxy = setting.trim() || (https ? (env.HTTPS_PROXY ?? env.https_proxy) : (env.HTTP_PROXY ?? env.http_proxy))?.trim();
  if (!proxy) return null;
  const host = url.hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (host === "localhost" || host.endsWith(".localhost") || /^127\./.test(host) || host === "::1") return null;
  const port = url.port || (https ? "443" : "80");
  if (bypassed(host, port, env.NO_PROXY ?? env.no_proxy ?? "")) return null;
  return proxy;
}

/** NO_PROXY as curl reads it: `*`, or a list of hosts (a leading dot or none: the domain and below), each with an optional port. */
function bypassed(host: string, port: string, noProxy: string): boolean {
  for (const raw of noProxy.split(/[\s,]+/)) {
    const entry = raw.trim().toLowerCase();
    if (!entry) continue;
    if (entry === "*") return true;
    const match = /^(.*?)(?::(\d+))?$/.exec(entry)!;
    const name = match[1]!.replace(/^\*?\./, "").replace(/^\[|\]$/g, "");
    if (match[2] && match[2] !== port) continue;
    if (host === name || host.endsWith(`.${name}`)) return true;
  }
  return false;
}

/** A proxy URL as the log and Settings show it: scheme, host and port, never its credentials. */
export function describeProxy(proxy: string): string {
  try {
    const url = new URL(proxy);
    return `${url.protocol}//${url.host}`;
  } catch {
    return "proxy";
  }
}
