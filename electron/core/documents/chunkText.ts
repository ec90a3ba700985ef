import type { PageText } from "./parsedDocument";

/** A passage as it is indexed and cited: its page, the headings above it, and its exact span in the page's text. */
export interface Chunk {
  page: number;
  heading: string | null;
  start: number;
  end: number;
  text: string;
}

export interface ChunkOptions {
  /** A chunk's size (characters; ~4 make a token of English). */
  targetChars: number;
  /** How much of a chunk's end the next one repeats, so a fact cut at a boundary is whole in one of them. */
  overlapChars: number;
}

/** ~200 tokens a chunk, ~40 of them shared with the next: small enough to cite, large enough to answer from. */
export const DEFAULT_CHUNKING: ChunkOptions = { targetChars: 800, overlapChars: 160 };

interface Unit {
  start: number;
  end: number;
  heading: string | null;
}

/**
 * Cuts a page into chunks along its paragraphs, then sentences, then words: a chunk never breaks a
 * sentence that fits, never spans two pages or two sections (so its heading path is its own), and
 * its text is exactly `page.text.slice(start, end)`.
 */
export function chunkPage(page: PageText, options: ChunkOptions = DEFAULT_CHUNKING): Chunk[] {
  const units = page.blocks.flatMap((block) => split(page.text, block, options.targetChars));
  const chunks: Chunk[] = [];
  for (let first = 0; first < units.length; ) {
    let last = first;
    const section = units[first]!.heading;
    while (last + 1 < units.length && units[last + 1]!.heading === section && units[last + 1]!.end - units[first]!.start <= options.targetChars) last++;
    const start = units[first]!.start;
    const end = units[last]!.end;
    chunks.push({ page: page.page, heading: units[first]!.heading, start, end, text: page.text.slice(start, end) });
    if (last + 1 >= units.length) break;
    // The next chunk starts a few units back (within the overlap), but always after this one's start.
    let next = last + 1;
    while (next - 1 > first && units[next]?.heading === section && end - units[next - 1]!.start <= options.overlapChars) next--;
    first = next;
  }
  return chunks;
}

/** A block as units no longer than `max`: itself, else its sentences, else pieces cut at spaces. */
function split(text: string, block: Unit, max: number): Unit[] {
  if (block.end - block.start <= max) return [block];
  const units: Unit[] = [];
  const sentence = /[^.!?]+(?:[.!?]+["')\]]*|$)\s*/g;
  const body = text.slice(block.start, block.end);
  for (const match of body.matchAll(sentence)) {
    const start = block.start + match.index;
    const end = start + match[0].trimEnd().length;
    if (end <= start) continue;
    if (end - start <= max) units.push({ start, end, heading: block.heading });
    else units.push(...cutAtSpaces(text, { start, end, heading: block.heading }, max));
  }
  return units;
}

function cutAtSpaces(text: string, unit: Unit, max: number): Unit[] {
  const pieces: Unit[] = [];
  let start = unit.start;
  while (unit.end - start > max) {
    const space = text.lastIndexOf(" ", start + max);
    const cut = space > start + max / 2 ? space : start + max;
    pieces.push({ start, end: cut, heading: unit.heading });
    start = text[cut] === " " ? cut + 1 : cut;
  }
  if (start < unit.end) pieces.push({ start, end: unit.end, heading: unit.heading });
  return pieces;
}
