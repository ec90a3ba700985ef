import { X } from "lucide-react";
import { useRef } from "react";
import { useDialogFocus } from "../hooks/useDialogFocus";
import { SHORTCUTS } from "../lib/shortcuts";
import { Button } from "./ui/Button";

/** The keyboard shortcuts, over the app ("?" opens it, Escape closes it and gives focus back). */
export function ShortcutsHelp({ onClose }: { onClose(): void }) {
  const close = useRef<HTMLButtonElement>(null);
  // Focus moves in, Escape closes, and the focus goes back to what opened it (a citation, a key).
  useDialogFocus(close, onClose);
  return (
    <div className="fixed inset-0 z-20 flex items-center justify-center bg-black/40 p-4">
      <div role="dialog" aria-modal="true" aria-labelledby="shortcuts-title" className="w-full max-w-md rounded-lg border border-border bg-panel p-4 shadow-xl">
        <div className="mb-3 flex items-center justify-between">
          <h2 id="shortcuts-title" className="font-semibold">
            Keyboard shortcuts
          </h2>
          <Button ref={close} size="icon" variant="ghost" aria-label="Close shortcuts" onClick={onClose}>
            <X size={14} />
          </Button>
        </div>
        <table className="w-full text-sm">
          <tbody>
            {SHORTCUTS.map((shortcut) => (
              <tr key={shortcut.keys} className="border-t border-border">
                <td className="py-1.5 pr-3 whitespace-nowrap">
                  <kbd className="rounded border border-border bg-bg px-1.5 py-0.5 font-mono text-xs">{shortcut.keys}</kbd>
                </td>
                <td className="py-1.5 text-fg-muted">{shortcut.does}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
