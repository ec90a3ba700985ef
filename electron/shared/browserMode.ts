/**
 * What the browser-mode page and server agree on beyond the contract: where the socket is, and how
 * the page proves itself when it opens it.
 */
export const SOCKET_PATH = "/api";
/** The subprotocol the server answers with; the page also offers `hearth.token.<token>` to prove itself. */
export const SOCKET_PROTOCOL = "hearth";
export const TOKEN_PROTOCOL_PREFIX = "hearth.token.";
