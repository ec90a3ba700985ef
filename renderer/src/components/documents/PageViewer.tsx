import { X } from "lucide-react";
import { useEffect, useRef } from "react";
import type { DocumentPage } from "../../../../electron/shared/documents";
import { Button } from "../ui/Button";

/**
 * The page a passage comes from, its text with the passage marked and scrolled into view, so a
 * reader can check the citation. Escape closes it.
 */
export function PageViewer({ page, passage, onClose }: { page: DocumentPage; passage: { start: number; end: number }; onClose(): void }) {
  const mark = useRef<HTMLElement>(null);
  const close = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    mark.current?.scrollIntoView({ block: "center" });
    // Focus moves into the viewer, and back to what opened it (the citation) when it closes.
    const opener = document.activeElement as HTMLElement | null;
    close.current?.focus();
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && onClose();
    window.addEventListener("keydown", onKey);
    return () => {
      window.removeEventListener("keydown", onKey);
      opener?.focus();
    };
  }, [onClose]);
  const { text } = page;
  return (
    <aside
      aria-label={`${page.document.name}, page ${page.page}`}
      className="absolute inset-y-0 right-0 z-10 flex w-full max-w-2xl flex-col border-l border-border bg-panel shadow-lg"
    >
      <header className="flex items-center gap-2 border-b border-border px-4 py-2">
        <h3 className="min-w-0 flex-1 truncate font-medium">
          {page.document.name} · page {page.page} of {page.document.pages}
        </h3>
        <Button ref={close} size="icon" variant="ghost" aria-label="Close page" onClick={onClose}>
          <X size={16} />
        </Button>
      </header>
      <div className="flex-1 overflow-y-auto whitespace-pre-wrap px-4 py-3 text-sm leading-relaxed">
        {text.slice(0, passage.start)}
        <mark ref={mark} data-testid="cited-passage" className="rounded bg-accent/25 text-fg">
          {text.slice(passage.start, passage.end)}
        </mark>
        {text.slice(passage.end)}
      </div>
    </aside>
  );
}
