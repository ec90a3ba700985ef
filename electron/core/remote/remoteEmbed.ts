import { z } from "zod";
import { HearthError } from "../../shared/errors";
import type { Outbound } from "../network/Outbound";
import type { RemoteTarget } from "./RemoteEngines";
import { remoteFailure } from "./remoteChat";

const embeddingsSchema = z.object({ data: z.array(z.object({ index: z.number().int(), embedding: z.array(z.number()) })) });

/**
 * Vectors for `texts` from a remote engine's `/embeddings` (OpenAI's shape), through the one door
 * out (logged, refused when offline): a collection can be embedded by a model on another machine.
 */
export async function remoteEmbed(outbound: Outbound, target: RemoteTarget, texts: string[], signal?: AbortSignal): Promise<number[][]> {
  const host = new URL(target.baseUrl).host;
  const response = await outbound.fetch(`${target.baseUrl}/embeddings`, {
    purpose: "remote engine",
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json", ...(target.key ? { authorization: `Bearer ${target.key}` } : {}) },
    body: JSON.stringify({ model: target.model, input: texts, encoding_format: "float" }),
    signal,
  });
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const said = z.object({ error: z.object({ message: z.string(), type: z.string().nullish(), code: z.string().nullish() }).partial() }).safeParse(body);
    throw remoteFailure(host, response.status, said.success ? said.data.error : {}, target.model);
  }
  const parsed = embeddingsSchema.safeParse(body);
  if (!parsed.success || parsed.data.data.length !== texts.length) {
    throw new HearthError("NETWORK", `${host} did not answer with ${texts.length} embedding(s) for ${target.model}.`, {
      suggestion: "Check that the model is an embedding model the server serves.",
    });
  }
  return [...parsed.data.data].sort((a, b) => a.index - b.index).map((item) => item.embedding);
}
