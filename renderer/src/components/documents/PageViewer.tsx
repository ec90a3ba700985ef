import { X } from "lucide-react";
import { useEffect, useRef, useState } from "react";
import type { DocumentPage, PageImage } from "../../../../electron/shared/documents";
import { useClient } from "../../hooks/ClientContext";
import { useDialogFocus } from "../../hooks/useDialogFocus";
import { ClientError } from "../../transport/hearthClient";
import { cn } from "../../lib/cn";
import { Button } from "../ui/Button";

type Shown = "page" | "text";

/**
 * The page a passage comes from, so a reader can check the citation: a PDF's page as printed
 * (drawn by pdf.js on this machine) with the passage marked where it stands, or the page's text
 * with the passage marked (other formats, scans read by OCR, and files changed since indexing).
 * Escape closes it.
 */
export function PageViewer({ page, passage, onClose }: { page: DocumentPage; passage: { start: number; end: number }; onClose(): void }) {
  const close = useRef<HTMLButtonElement>(null);
  const drawable = page.document.format === "pdf";
  const [shown, setShown] = useState<Shown>(drawable ? "page" : "text");
  // Focus moves in, Escape closes, and the focus goes back to what opened it (a citation, a key).
  useDialogFocus(close, onClose);

  return (
    <aside
      aria-label={`${page.document.name}, page ${page.page}`}
      className="absolute inset-y-0 right-0 z-10 flex w-full max-w-2xl flex-col border-l border-border bg-panel shadow-lg"
    >
      <header className="flex items-center gap-2 border-b border-border px-4 py-2">
        <h3 className="min-w-0 flex-1 truncate font-medium">
          {page.document.name} · page {page.page} of {page.document.pages}
        </h3>
        {drawable && (
          // biome-ignore lint/a11y/useSemanticElements: a two-way toggle in a header, not a form's fieldset
          <div role="group" aria-label="Show" className="flex rounded border border-border text-xs">
            {(["page", "text"] as const).map((mode) => (
              <button
                key={mode}
                type="button"
                aria-pressed={shown === mode}
                onClick={() => setShown(mode)}
                className={cn("px-2 py-1", shown === mode ? "bg-muted font-medium text-fg" : "text-fg-muted hover:text-fg")}
              >
                {mode === "page" ? "Page" : "Text"}
              </button>
            ))}
          </div>
        )}
        <Button ref={close} size="icon" variant="ghost" aria-label="Close page" onClick={onClose}>
          <X size={16} />
        </Button>
      </header>
      {shown === "page" ? <DrawnPage page={page} passage={passage} onUnavailable={() => setShown("text")} /> : <PageText page={page} passage={passage} />}
    </aside>
  );
}

function PageText({ page, passage }: { page: DocumentPage; passage: { start: number; end: number } }) {
  const mark = useRef<HTMLElement>(null);
  useEffect(() => {
    // A statement, not the effect's value: newer browsers return a promise from scrollIntoView.
    mark.current?.scrollIntoView({ block: "center" });
  }, []);
  const { text } = page;
  const read = page.document.pagesRead.includes(page.page);
  return (
    <div className="flex-1 overflow-y-auto px-4 py-3 text-sm leading-relaxed">
      {read && <p className="mb-2 text-xs text-fg-muted">This page is a scan: its text was read by OCR, so a quote may differ from the print.</p>}
      <div className="whitespace-pre-wrap">
        {text.slice(0, passage.start)}
        <mark ref={mark} data-testid="cited-passage" className="rounded bg-accent/25 text-fg">
          {text.slice(passage.start, passage.end)}
        </mark>
        {text.slice(passage.end)}
      </div>
    </div>
  );
}

/** Pixels drawn across: the panel's width at the screen's density, within what the core draws. */
const drawWidth = () => Math.min(2400, Math.max(600, Math.round(672 * (window.devicePixelRatio || 1))));

function DrawnPage({ page, passage, onUnavailable }: { page: DocumentPage; passage: { start: number; end: number }; onUnavailable(): void }) {
  const client = useClient();
  const [image, setImage] = useState<PageImage | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const firstMark = useRef<HTMLDivElement>(null);
  const { start, end } = passage;
  const documentId = page.document.id;
  const number = page.page;

  useEffect(() => {
    let live = true;
    setImage(null);
    setProblem(null);
    client.call("documents.pageImage", { documentId, page: number, start, end, width: drawWidth() }).then(
      (drawn) => live && setImage(drawn),
      (error: unknown) => live && setProblem(error instanceof ClientError ? error.data.message : String(error)),
    );
    return () => {
      live = false;
    };
  }, [client, documentId, number, start, end]);

  useEffect(() => {
    if (image) firstMark.current?.scrollIntoView({ block: "center" });
  }, [image]);

  if (problem) {
    return (
      <div className="space-y-2 p-4 text-sm">
        <p role="alert">{problem}</p>
        <Button size="sm" onClick={onUnavailable}>
          Show the indexed text
        </Button>
      </div>
    );
  }
  if (!image) return <p className="p-4 text-sm text-fg-muted">Drawing the page…</p>;
  return (
    <div className="flex-1 overflow-y-auto bg-muted/40 p-3">
      <div className="relative mx-auto shadow" style={{ aspectRatio: `${image.width} / ${image.height}` }}>
        <img src={`data:image/png;base64,${image.png}`} alt={`Page ${number} of ${page.document.name}`} className="block h-full w-full" />
        {image.marks.map((mark, i) => (
          <div
            // biome-ignore lint/suspicious/noArrayIndexKey: the marks of one drawing never change order
            key={i}
            ref={i === 0 ? firstMark : undefined}
            data-testid="page-mark"
            className="pointer-events-none absolute rounded-sm bg-yellow-300/45 mix-blend-multiply ring-1 ring-yellow-500/60"
            style={{ left: `${mark.left * 100}%`, top: `${mark.top * 100}%`, width: `${mark.width * 100}%`, height: `${mark.height * 100}%` }}
          />
        ))}
      </div>
      {image.marks.length === 0 && (
        <p className="mt-2 text-xs text-fg-muted">The passage has no place on the printed page (a scan read by OCR): see it in Text.</p>
      )}
    </div>
  );
}
