import fs from "node:fs/promises";
import { z } from "zod";

/**
 * One ranged connection's share of a file: bytes [start, end), written up to `at`. A finished
 * segment may take half of a slow one's remaining bytes (its `end` moves down), so every
 * connection stays busy to the end, as aria2 does.
 */
export interface Segment {
  start: number;
  end: number;
  at: number;
}

const stateSchema = z.object({
  size: z.number().int().nonnegative(),
  segments: z.array(z.object({ start: z.number().int(), end: z.number().int(), at: z.number().int() })),
});
type SegmentState = z.infer<typeof stateSchema>;

/** Where a segmented `.part` keeps which of its bytes are written (a plain `.part` is its own record: its size). */
export const segmentsFile = (partPath: string) => `${partPath}.segments`;

/**
 * How the file's missing bytes are shared out: `count` connections for a large file, one for a
 * small one (no share smaller than `minBytes`). `prefix` bytes are on disk already (a plain
 * `.part`: a single connection wrote them).
 */
export function planSegments(size: number, prefix: number, count: number, minBytes: number): Segment[] {
  const done: Segment[] = prefix > 0 ? [{ start: 0, end: prefix, at: prefix }] : [];
  const rest = size - prefix;
  if (rest <= 0) return done.length ? done : [{ start: 0, end: size, at: size }];
  const shares = Math.max(1, Math.min(count, Math.floor(rest / minBytes)));
  const share = Math.ceil(rest / shares);
  const segments = [...done];
  for (let start = prefix; start < size; start += share) segments.push({ start, end: Math.min(size, start + share), at: start });
  return segments;
}

/** The bytes written without a gap from the file's start: what can be hashed in order. */
export function contiguousEnd(segments: readonly Segment[]): number {
  let end = 0;
  for (const segment of [...segments].sort((a, b) => a.start - b.start)) {
    if (segment.start > end) break;
    end = Math.max(end, segment.at);
    if (segment.at < segment.end) break;
  }
  return end;
}

/** Bytes written so far. */
export function writtenBytes(segments: readonly Segment[]): number {
  return segments.reduce((sum, s) => sum + (s.at - s.start), 0);
}

/**
 * Takes the back half of the segment with the most bytes left, as a new segment, when that half
 * is at least `minBytes`; null when none is worth splitting. The old segment's connection stops
 * at its new end.
 */
export function splitLargest(segments: Segment[], minBytes: number): Segment | null {
  let largest: Segment | null = null;
  for (const segment of segments) if (!largest || segment.end - segment.at > largest.end - largest.at) largest = segment;
  if (!largest || largest.end - largest.at < 2 * minBytes) return null;
  const middle = largest.at + Math.ceil((largest.end - largest.at) / 2);
  const taken = { start: middle, end: largest.end, at: middle };
  largest.end = middle;
  segments.push(taken);
  return taken;
}

/**
 * The segments recorded beside a `.part`, or null when there are none (or they do not describe
 * this file: then the `.part` cannot be trusted and starts over).
 */
export async function loadSegments(partPath: string, size: number): Promise<Segment[] | null> {
  let state: SegmentState;
  try {
    state = stateSchema.parse(JSON.parse(await fs.readFile(segmentsFile(partPath), "utf8")));
  } catch {
    return null;
  }
  const sane = state.segments.every((s) => s.start >= 0 && s.start <= s.at && s.at <= s.end && s.end <= size);
  return state.size === size && sane ? state.segments : null;
}

/** Records the segments (written after the bytes they count, so a crash only loses progress). Replaced atomically. */
export async function saveSegments(partPath: string, size: number, segments: readonly Segment[]): Promise<void> {
  const file = segmentsFile(partPath);
  await fs.writeFile(`${file}.tmp`, JSON.stringify({ size, segments }));
  await fs.rename(`${file}.tmp`, file);
}
