import fs from "node:fs/promises";
import path from "node:path";
import { HearthError } from "../../shared/errors";
import type { Outbound } from "../network/Outbound";
import { hubStatusError } from "./HubClient";

const FIRST_READ = 1 << 20;
/** The largest header read: a 256k-token vocabulary makes ~15 MiB; past this it is no model Hearth can use. */
const LARGEST_HEADER = 64 << 20;

/**
 * Copies the header of a remote GGUF file (metadata and tensor table, not the weights) to
 * `dest`, with Range requests: 1 MiB first, four times more while the header runs past what was
 * read (a 150k-token vocabulary makes a header of several MiB). Every request is logged.
 */
export async function fetchGgufHeader(
  outbound: Outbound,
  url: string,
  headers: Record<string, string>,
  fileSize: number,
  dest: string,
  signal?: AbortSignal,
): Promise<void> {
  await fs.mkdir(path.dirname(dest), { recursive: true });
  let length = Math.min(FIRST_READ, fileSize);
  for (;;) {
    // A server that ignores Range sends the whole file: only what was asked for is read.
    const response = await outbound.fetch(url, {
      purpose: "model header",
      headers: { ...headers, range: `bytes=0-${length - 1}` },
      signal,
      maxBodyBytes: length,
    });
    if (!response.ok) throw hubStatusError(response.status, `the header of ${path.basename(dest)}`, "authorization" in headers);
    const bytes = new Uint8Array(await response.arrayBuffer());
    await fs.writeFile(dest, bytes);
    if (bytes.byteLength >= fileSize || (await headerEnd(dest)) <= bytes.byteLength) return;
    if (length >= LARGEST_HEADER || length >= fileSize) {
      throw new HearthError(
        "MODEL_INVALID",
        `The header of ${path.basename(dest)} is larger than ${LARGEST_HEADER >> 20} MiB; this is not a GGUF file Hearth can read.`,
      );
    }
    length = Math.min(length * 4, LARGEST_HEADER, fileSize);
  }
}

/** Where the header of a (possibly cut-short) GGUF file ends, as its own fields say. */
async function headerEnd(file: string): Promise<number> {
  try {
    // Loaded here, not at start: see inspectGguf.
    const { readGgufFileInfo } = await import("node-llama-cpp");
    const info = await readGgufFileInfo(file, { sourceType: "filesystem", logWarnings: false, spliceSplitFiles: false });
    return info.infoEndOffset ?? Number.POSITIVE_INFINITY;
  } catch (error) {
    if (/magic/i.test((error as Error).message)) throw new HearthError("MODEL_INVALID", `${path.basename(file)} on the hub is not a GGUF file.`);
    return Number.POSITIVE_INFINITY; // cut mid-field: read more
  }
}
