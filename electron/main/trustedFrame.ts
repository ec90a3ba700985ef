/**
 * Whether a frame is our own page in our own window: the window's main frame, showing the
 * renderer (the dev server's origin, or the packaged file). Never throws: a frame mid-navigation
 * can carry an empty or odd URL, and a refusal is the answer then.
 */
export function isTrustedFrame(frame: { url: string } | null, mainFrame: unknown, rendererUrl: string | undefined): boolean {
  if (!frame || !mainFrame || frame !== mainFrame) return false;
  try {
    const url = new URL(frame.url);
    return rendererUrl ? url.origin === new URL(rendererUrl).origin : url.protocol === "file:";
  } catch {
    return false;
  }
}
