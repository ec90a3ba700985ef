import { z } from "zod";
import { stopReasonSchema } from "./contract";

/** What `hearth chat --prompt … --json` prints: exactly one of these on stdout. */
export const chatJsonOutputSchema = z.object({
  conversationId: z.string(),
  messageId: z.string(),
  text: z.string(),
  thinking: z.string().nullable(),
  promptTokens: z.number().int().nullable(),
  completionTokens: z.number().int().nullable(),
  timeToFirstTokenMs: z.number().nullable(),
  tokensPerSecond: z.number().nullable(),
  stopReason: stopReasonSchema.nullable(),
  model: z.object({ id: z.string(), name: z.string(), path: z.string() }),
});
export type ChatJsonOutput = z.infer<typeof chatJsonOutputSchema>;
