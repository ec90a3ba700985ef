import { STREAM_BATCH_MS } from "../../../electron/shared/defaults";

/**
 * Paces how much of a streaming reply is on screen. The engine sends text at most ten times a
 * second; drawn whole, each batch would make the reply jump forward in bursts. Instead, each
 * batch's backlog is revealed at an even rate over about one batch interval, so the reply flows.
 */
export class RevealPace {
  /** Characters of the reply on screen. */
  shown = 0;
  private perMs = 0;

  constructor(private readonly drainMs = STREAM_BATCH_MS) {}

  /** More text arrived (the reply is now `length` long): show the backlog within one interval. */
  arrived(length: number): void {
    this.perMs = Math.max(0, length - this.shown) / this.drainMs;
  }

  /** How many characters of `text` to show once `elapsedMs` more have passed. */
  advance(text: string, elapsedMs: number): number {
    let end = Math.min(text.length, this.shown + Math.max(1, Math.ceil(this.perMs * elapsedMs)));
    // Never end between the halves of a surrogate pair: an emoji would flash as a broken glyph.
    const last = text.charCodeAt(end - 1);
    if (last >= 0xd800 && last <= 0xdbff && end < text.length) end++;
    this.shown = end;
    return end;
  }
}
