import { useEffect, useRef } from "react";
import type { View } from "../components/Sidebar";
import { COMPOSER_ID, focusSoon, SEARCH_ID, typingIn } from "../lib/shortcuts";

const VIEWS: View[] = ["chat", "models", "docs", "bench", "server", "settings"];

/** The window's keyboard shortcuts (listed in lib/shortcuts.ts, shown by "?"). */
export function useShortcuts(actions: { newChat(): void; showView(view: View): void; showHelp(): void; toggleSidebar(): void }): void {
  // The latest actions, without listening again on every render.
  const latest = useRef(actions);
  latest.current = actions;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const mod = e.ctrlKey || e.metaKey;
      const { newChat, showView, showHelp, toggleSidebar } = latest.current;
      if (mod && e.shiftKey && e.key.toLowerCase() === "o") {
        e.preventDefault();
        newChat();
      } else if (mod && !e.shiftKey && e.key.toLowerCase() === "k") {
        e.preventDefault();
        showView("chat");
        focusSoon(SEARCH_ID);
      } else if (mod && !e.shiftKey && e.key.toLowerCase() === "b") {
        e.preventDefault();
        toggleSidebar();
      } else if (e.shiftKey && e.key === "Escape") {
        e.preventDefault();
        showView("chat");
        focusSoon(COMPOSER_ID);
      } else if (e.altKey && !mod && /^Digit[1-6]$/.test(e.code)) {
        e.preventDefault();
        showView(VIEWS[Number(e.code.slice(5)) - 1]!);
      } else if (e.key === "?" && !mod && !e.altKey && !typingIn(e.target)) {
        e.preventDefault();
        showHelp();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);
}
