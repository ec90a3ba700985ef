import { type RefObject, useEffect } from "react";

/**
 * A panel over the app takes the focus (on `initial`), closes on Escape, and gives the focus back
 * to what opened it when it closes.
 */
export function useDialogFocus(initial: RefObject<HTMLElement | null>, onClose: () => void): void {
  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    initial.current?.focus();
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && onClose();
    window.addEventListener("keydown", onKey);
    return () => {
      window.removeEventListener("keydown", onKey);
      opener?.focus();
    };
  }, [initial, onClose]);
}
