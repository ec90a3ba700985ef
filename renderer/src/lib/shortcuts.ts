/** The app's keyboard shortcuts: what the help overlay lists and what the window listens for. */
export interface Shortcut {
  keys: string;
  does: string;
}

const mac = typeof navigator !== "undefined" && /Mac|iPhone|iPad/.test(navigator.platform);
const mod = mac ? "⌘" : "Ctrl";

export const SHORTCUTS: Shortcut[] = [
  { keys: `${mod} Shift O`, does: "New chat" },
  { keys: "Shift Esc", does: "Focus the message box" },
  { keys: "Enter / Shift Enter", does: "Send / new line (in the message box)" },
  { keys: "Esc", does: "Stop the reply (in the message box); close a panel or this list" },
  { keys: `${mod} K`, does: "Search conversations" },
  { keys: `${mod} B`, does: "Show or hide the sidebar" },
  { keys: "Alt 1 … Alt 6", does: "Chat, Models, Docs, Bench, Server, Settings" },
  { keys: "?", does: "This list (outside a text field)" },
];

/** Whether the key went to a field that takes text (where "?" is a character, not a command). */
export function typingIn(target: EventTarget | null): boolean {
  const element = target as HTMLElement | null;
  return Boolean(element && (element.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(element.tagName)));
}

/** The message box's and the conversation search's ids: shortcuts and New chat put the focus there. */
export const COMPOSER_ID = "composer";
export const SEARCH_ID = "conversation-search";

/** Puts the focus in a field once it is on screen (after a page or chat switch renders it). */
export function focusSoon(id: string): void {
  requestAnimationFrame(() => document.getElementById(id)?.focus());
}
