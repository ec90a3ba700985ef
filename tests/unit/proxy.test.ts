import { describe, expect, it } from "vitest";
import { describeProxy, proxyFor } from "../../electron/core/network/proxy";

const hub = new URL("https://huggingface.co/api/models");
const plain = new URL("http://mirror.example:8080/file");

describe("proxyFor", () => {
  it("takes the Settings proxy first, else HTTPS_PROXY or HTTP_PROXY by the request's scheme, upper or lower case", () => {
    expect(proxyFor(hub, { setting: "", env: {} })).toBeNull();
    expect(proxyFor(hub, { setting: "", env: { HTTPS_PROXY: "http://p:3128", HTTP_PROXY: "http://q:3128" } })).toBe("http://p:3128");
    expect(proxyFor(plain, { setting: "", env: { HTTPS_PROXY: "http://p:3128", http_proxy: "http://q:3128" } })).toBe("http://q:3128");
    expect(proxyFor(hub, { setting: " http://s:8080 ", env: { HTTPS_PROXY: "http://p:3128" } })).toBe("http://s:8080");
  });

  it("goes direct for NO_PROXY's hosts and domains (with a port when one is named), for *, and for this machine", () => {
    const env = { HTTPS_PROXY: "http://p:3128", HTTP_PROXY: "http://p:3128" };
    expect(proxyFor(hub, { setting: "", env: { ...env, NO_PROXY: "example.com, huggingface.co" } })).toBeNull();
    expect(proxyFor(new URL("https://cdn-lfs.huggingface.co/x"), { setting: "", env: { ...env, no_proxy: ".huggingface.co" } })).toBeNull();
    expect(proxyFor(new URL("https://nothuggingface.co/x"), { setting: "", env: { ...env, NO_PROXY: "huggingface.co" } })).toBe("http://p:3128");
    expect(proxyFor(plain, { setting: "", env: { ...env, NO_PROXY: "mirror.example:8080" } })).toBeNull();
    expect(proxyFor(plain, { setting: "", env: { ...env, NO_PROXY: "mirror.example:443" } })).toBe("http://p:3128");
    expect(proxyFor(hub, { setting: "http://s:1", env: { NO_PROXY: "*" } })).toBeNull();
    for (const local of ["http://127.0.0.1:5000/", "http://localhost:5000/", "http://[::1]:5000/"]) {
      expect(proxyFor(new URL(local), { setting: "http://s:1", env })).toBeNull();
    }
  });

  it("shows a proxy without its credentials", () => {
    expect(describeProxy("http://user:secret@proxy.corp:3128/")).toBe("http://proxy.corp:3128");
    expect(describeProxy("not a url")).toBe("proxy");
  });
});
