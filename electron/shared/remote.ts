/**
 * Remote engines: OpenAI-compatible servers (another Hearth, llama.cpp's llama-server, vLLM,
 * Ollama) whose models chat in Hearth like local ones. Their keys stay in the core's vault.
 */
import { z } from "zod";

export const remoteModelSchema = z.object({
  /** Hearth's id for it: `remote:<engine id>:<the server's model id>`. */
  id: z.string(),
  /** The server's own id for it. */
  model: z.string(),
});
export type RemoteModel = z.infer<typeof remoteModelSchema>;

export const remoteEngineSchema = z.object({
  id: z.string(),
  name: z.string(),
  /** Up to and including `/v1`. */
  baseUrl: z.string(),
  /** Whether a key is set, and its last four characters; never the key. */
  key: z.object({ set: z.boolean(), last4: z.string().nullable() }),
  models: z.array(remoteModelSchema),
  /** Why the model list could not be read (the server down, a wrong key, offline), else null. */
  error: z.string().nullable(),
});
export type RemoteEngine = z.infer<typeof remoteEngineSchema>;
