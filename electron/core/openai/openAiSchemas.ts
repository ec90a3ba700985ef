import { z } from "zod";

/**
 * The OpenAI API's request bodies, as far as Hearth serves them. Unknown fields are ignored (as
 * OpenAI's own server does for fields a model does not use); known ones are checked.
 */
const text = z.union([z.string(), z.array(z.object({ type: z.literal("text"), text: z.string() }))]);

/** A function name as OpenAI takes it. */
const functionName = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "A function name is 1 to 64 letters, digits, _ or -.");

export const toolCallSchema = z.object({
  id: z.string().min(1).max(200),
  type: z.literal("function"),
  function: z.object({ name: functionName, arguments: z.string().max(1_000_000) }),
});

export const chatMessageSchema = z.object({
  role: z.enum(["system", "developer", "user", "assistant", "tool"]),
  content: text.nullish(),
  /** An assistant turn's calls; each is answered by a `tool` message with its id. */
  tool_calls: z.array(toolCallSchema).max(128).nullish(),
  tool_call_id: z.string().min(1).max(200).nullish(),
});
export type ChatMessage = z.infer<typeof chatMessageSchema>;

export const toolSchema = z.object({
  type: z.literal("function"),
  function: z.object({
    name: functionName,
    description: z.string().max(10_000).nullish(),
    parameters: z.record(z.string(), z.unknown()).nullish(),
  }),
});

export const toolChoiceSchema = z.union([
  z.enum(["none", "auto", "required"]),
  z.object({ type: z.literal("function"), function: z.object({ name: functionName }) }),
]);

export const chatCompletionRequestSchema = z.object({
  model: z.string().min(1).max(200),
  messages: z.array(chatMessageSchema).min(1, "messages must hold at least one message.").max(2000),
  stream: z.boolean().nullish(),
  stream_options: z.object({ include_usage: z.boolean().nullish() }).nullish(),
  max_tokens: z.number().int().min(1).max(1_000_000).nullish(),
  max_completion_tokens: z.number().int().min(1).max(1_000_000).nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  seed: z.number().int().nullish(),
  stop: z.union([z.string(), z.array(z.string()).max(16)]).nullish(),
  response_format: z
    .discriminatedUnion("type", [
      z.object({ type: z.literal("text") }),
      z.object({ type: z.literal("json_object") }),
      z.object({
        type: z.literal("json_schema"),
        json_schema: z.object({ name: z.string().max(64), schema: z.record(z.string(), z.unknown()).optional(), strict: z.boolean().nullish() }),
      }),
    ])
    .nullish(),
  tools: z.array(toolSchema).max(128).nullish(),
  tool_choice: toolChoiceSchema.nullish(),
});
export type ChatCompletionRequest = z.infer<typeof chatCompletionRequestSchema>;

export const completionRequestSchema = chatCompletionRequestSchema
  .omit({ messages: true, tools: true, tool_choice: true, max_completion_tokens: true })
  .extend({ prompt: z.union([z.string().max(4_000_000), z.array(z.string().max(4_000_000)).min(1).max(16)]) });
export type CompletionRequest = z.infer<typeof completionRequestSchema>;

export const embeddingsRequestSchema = z.object({
  model: z.string().min(1).max(200),
  input: z.union([z.string(), z.array(z.string()).min(1).max(512)]),
  encoding_format: z.enum(["float", "base64"]).nullish(),
});
export type EmbeddingsRequest = z.infer<typeof embeddingsRequestSchema>;

/** A message's text: a string, or its text parts joined. */
export function messageText(content: z.infer<typeof text> | null | undefined): string {
  if (content == null) return "";
  return typeof content === "string" ? content : content.map((part) => part.text).join("");
}
