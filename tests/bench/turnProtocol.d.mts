/** Warm-up turns, then "ready" with the first of them, then one measured turn per "turn" line on stdin. */
export function serveTurns(turn: () => Promise<{ completionTokens: number | null }>): Promise<void>;
