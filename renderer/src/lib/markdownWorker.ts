/// <reference lib="webworker" />
import { markdownToHast } from "./markdownHast";

// Parses long Markdown off the main thread, so a growing reply never blocks a frame.
self.onmessage = (event: MessageEvent<{ id: number; text: string }>) => {
  const { id, text } = event.data;
  try {
    self.postMessage({ id, tree: markdownToHast(text) });
  } catch (error) {
    self.postMessage({ id, error: String(error) });
  }
};
