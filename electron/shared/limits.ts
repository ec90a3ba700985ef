/**
 * The longest string each field of the contract takes. Every string a caller sends has a limit,
 * so a careless paste or a hostile socket gets one clear error instead of a stalled engine.
 */

/** A message's text: about 250,000 tokens, past the context of any model that runs on a laptop. */
export const MAX_MESSAGE_CHARS = 1_000_000;
export const MAX_SYSTEM_PROMPT_CHARS = 100_000;
export const MAX_TITLE_CHARS = 500;
export const MAX_STOP_STRING_CHARS = 200;
export const MAX_STOP_STRINGS = 16;
export const MAX_PATH_CHARS = 4096;
export const MAX_SEARCH_CHARS = 500;
export const MAX_ID_CHARS = 200;
export const MAX_URL_CHARS = 2048;
/** Most replies the API serves at once from one model (each slot holds a whole context of cache). */
export const MAX_API_SLOTS = 32;

/** The message every limit gives: in words, with the number. */
export function tooLong(what: string, max: number): string {
  return `${what} is longer than ${max.toLocaleString("en-US")} characters.`;
}
