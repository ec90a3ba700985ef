import { describe, expect, it } from "vitest";
import { bodyDecoder, MAX_HEAD_BYTES, parseResponseHead } from "../../electron/core/network/responseParsing";

const bytes = (text: string) => new Uint8Array(Buffer.from(text, "latin1"));

/** Feeds `input` to a decoder in pieces cut at `cuts`, collecting the payload and the last state. */
function decode(status: number, headers: Record<string, string>, input: Uint8Array, cuts: number[]) {
  const decoder = bodyDecoder(status, headers);
  const out: number[] = [];
  let state: "more" | "complete" = "more";
  let from = 0;
  for (const cut of [...cuts, input.length]) {
    state = decoder.push(input.subarray(from, cut), (payload) => out.push(...payload));
    from = cut;
  }
  return { payload: Buffer.from(out).toString("latin1"), state, decoder };
}

describe("parseResponseHead", () => {
  it("waits for the blank line, then gives status, headers and where the body starts", () => {
    const head = "HTTP/1.1 206 Partial Content\r\nContent-Length: 5\r\nX-Twice: a\r\nx-twice: b\r\n\r\n";
    expect(parseResponseHead(bytes(head.slice(0, -2)))).toBeNull();
    const parsed = parseResponseHead(bytes(`${head}hello`))!;
    expect(parsed).toEqual({ status: 206, headers: { "content-length": "5", "x-twice": "a, b" }, length: head.length });
  });

  it("refuses what is not HTTP/1.x, a malformed header and a head that never ends", () => {
    expect(() => parseResponseHead(bytes("SSH-2.0-OpenSSH\r\n\r\n"))).toThrow(/not an HTTP\/1\.1 response/);
    expect(() => parseResponseHead(bytes("HTTP/1.1 200 OK\r\nno colon here\r\n\r\n"))).toThrow(/malformed header/);
    expect(() => parseResponseHead(new Uint8Array(MAX_HEAD_BYTES + 1).fill(0x41))).toThrow(/head is over/);
  });
});

describe("bodyDecoder", () => {
  it("takes exactly Content-Length bytes and counts what comes after", () => {
    const { payload, state, decoder } = decode(200, { "content-length": "5" }, bytes("hello, and more"), [2]);
    expect([payload, state, decoder.overflow]).toEqual(["hello", "complete", 10]);
    expect(decode(200, { "content-length": "5" }, bytes("hel"), []).decoder.completeAtClose).toBe(false);
    expect(() => bodyDecoder(200, { "content-length": "5x" })).toThrow(/invalid Content-Length/);
    expect(bodyDecoder(204, {}).completeAtClose).toBe(true);
  });

  it("reads to the close when nothing frames the body", () => {
    const { payload, state, decoder } = decode(200, {}, bytes("all of it"), [3]);
    expect([payload, state, decoder.completeAtClose]).toEqual(["all of it", "more", true]);
  });

  it("decodes a chunked body cut at every possible place, with extensions and trailers", () => {
    const wire = "5;name=x\r\nhello\r\n1\r\n \r\nB\r\nchunked wor\r\n2\r\nld\r\n0\r\nX-Trailer: yes\r\n\r\n";
    const input = bytes(wire);
    for (let cut = 0; cut <= input.length; cut++) {
      const { payload, state, decoder } = decode(200, { "transfer-encoding": "chunked" }, input, [cut]);
      expect([payload, state, decoder.overflow], `cut at ${cut}`).toEqual(["hello chunked world", "complete", 0]);
    }
    const byteByByte = decode(
      200,
      { "transfer-encoding": "chunked" },
      input,
      Array.from({ length: input.length }, (_, i) => i),
    );
    expect(byteByByte.payload).toBe("hello chunked world");
  });

  it("refuses compressed bodies, which were not asked for", () => {
    expect(() => bodyDecoder(200, { "transfer-encoding": "gzip, chunked" })).toThrow(/unsupported Transfer-Encoding/);
    expect(() => bodyDecoder(200, { "content-encoding": "br", "content-length": "3" })).toThrow(/compressed the body \(br\)/);
    expect(bodyDecoder(200, { "content-encoding": "identity", "content-length": "3" }).completeAtClose).toBe(false);
  });

  it("refuses a malformed chunk and is not complete when the connection ends mid-body", () => {
    expect(() => decode(200, { "transfer-encoding": "chunked" }, bytes("zz\r\n"), [])).toThrow(/malformed chunk size/);
    expect(() => decode(200, { "transfer-encoding": "chunked" }, bytes("2\r\nabc\r\n"), [])).toThrow(/longer than its size/);
    const cut = decode(200, { "transfer-encoding": "chunked" }, bytes("5\r\nhel"), []);
    expect([cut.payload, cut.state, cut.decoder.completeAtClose]).toEqual(["hel", "more", false]);
  });
});
