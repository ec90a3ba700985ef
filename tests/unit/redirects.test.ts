import { describe, expect, it } from "vitest";
import { redirected } from "../../electron/core/network/Outbound";

const auth = { authorization: "Bearer hf_secret", accept: "*/*" };

describe("following a redirect", () => {
  it("keeps the token only on the same origin: scheme, host and port", () => {
    expect(redirected(new URL("https://hub.example/a"), "/b", auth).headers).toEqual(auth);
    expect(redirected(new URL("https://hub.example/a"), "https://cdn.example/b", auth).headers).toEqual({ accept: "*/*" });
    expect(redirected(new URL("http://127.0.0.1:8080/a"), "http://127.0.0.1:9090/b", auth).headers).toEqual({ accept: "*/*" });
  });

  it("refuses a hop from HTTPS down to plain HTTP, on the same host too", () => {
    expect(() => redirected(new URL("https://hub.example/a"), "http://hub.example/b", auth)).toThrow(
      expect.objectContaining({ code: "NETWORK", message: expect.stringMatching(/unencrypted/) }),
    );
    expect(() => redirected(new URL("https://hub.example/a"), "http://cdn.example/b", auth)).toThrow(/unencrypted/);
    // Plain HTTP to HTTPS is an upgrade, followed (without the token: another origin).
    expect(redirected(new URL("http://hub.example/a"), "https://hub.example/b", auth)).toMatchObject({ headers: { accept: "*/*" } });
  });
});

describe("the hub token", () => {
  it("goes to an HTTPS hub, or a mirror on this machine, never over a network in clear", async () => {
    const { HubClient } = await import("../../electron/core/hub/HubClient");
    const outbound = {} as never;
    const token = () => "hf_secret";
    expect(new HubClient(outbound, token, "https://huggingface.co").authHeaders()).toEqual({ authorization: "Bearer hf_secret" });
    expect(new HubClient(outbound, token, "http://127.0.0.1:8080").authHeaders()).toEqual({ authorization: "Bearer hf_secret" });
    expect(new HubClient(outbound, token, "http://mirror.example").authHeaders()).toEqual({});
    expect(new HubClient(outbound, token, "http://192.168.1.5:8080").authHeaders()).toEqual({});
  });
});
