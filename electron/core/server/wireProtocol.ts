/**
 * Browser mode's wire format over the WebSocket: the page sends calls, the server answers each by
 * id and pushes contract events. The calls and events themselves are the contract's.
 */
import { z } from "zod";

export const clientMessageSchema = z.object({
  id: z.number().int(),
  call: z.string().max(100),
  input: z.unknown(),
});
export type ClientMessage = z.infer<typeof clientMessageSchema>;

export type ServerMessage =
  | { type: "result"; id: number; result: unknown }
  | { type: "event"; event: string; payload: unknown };

/** The page reads its per-run secret from this meta tag, which the server writes into index.html. */
export const TOKEN_META = "hearth-token";
export const SOCKET_PATH = "/api";
