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

export type ServerMessage = { type: "result"; id: number; result: unknown } | { type: "event"; event: string; payload: unknown };

export { SOCKET_PATH, SOCKET_PROTOCOL, TOKEN_PROTOCOL_PREFIX } from "../../shared/browserMode";
/**
 * The largest message a page may send. The contract's longest string (a message's text, see
 * MAX_MESSAGE_CHARS) fits with room for JSON escapes; a larger frame closes the socket (1009).
 */
export const MAX_SOCKET_MESSAGE_BYTES = 16 * 1024 * 1024;
