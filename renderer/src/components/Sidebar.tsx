import { useState } from "react";
import { Boxes, Download, FileText, Gauge, MessageSquare, MessageSquarePlus, Pencil, Trash2 } from "lucide-react";
import type { Conversation } from "../../../electron/shared/contract";
import { cn } from "../lib/cn";
import { SEARCH_ID } from "../lib/shortcuts";
import { Button } from "./ui/Button";

export type View = "chat" | "models" | "docs" | "bench";

interface Props {
  view: View;
  onView(view: View): void;
  conversations: Conversation[];
  activeId: string | null;
  query: string;
  onQuery(query: string): void;
  onSelect(id: string): void;
  onNew(): void;
  onRename(id: string, title: string): void;
  onDelete(conversation: Conversation): void;
  /** Saves the conversation as a file (Markdown or JSON, the CLI's formats). */
  onExport(id: string, format: "md" | "json"): void;
}

export function Sidebar({ view, onView, conversations, activeId, query, onQuery, onSelect, onNew, onRename, onDelete, onExport }: Props) {
  const [renaming, setRenaming] = useState<string | null>(null);
  const [exporting, setExporting] = useState<string | null>(null);
  const [title, setTitle] = useState("");
  return (
    <nav aria-label="Conversations" className="flex h-full w-64 shrink-0 flex-col border-r border-border bg-panel">
      <div className="flex items-center justify-between px-3 py-3">
        <span className="font-semibold">Hearth</span>
        <Button size="sm" variant="ghost" onClick={onNew} aria-label="New chat">
          <MessageSquarePlus size={16} /> New chat
        </Button>
      </div>
      {/* biome-ignore lint/a11y/useSemanticElements: a row of page buttons, not a form's fieldset */}
      <div className="flex flex-wrap gap-1 px-3 pb-2" role="group" aria-label="Pages">
        <Button size="sm" variant={view === "chat" ? "secondary" : "ghost"} aria-pressed={view === "chat"} onClick={() => onView("chat")}>
          <MessageSquare size={14} /> Chat
        </Button>
        <Button size="sm" variant={view === "models" ? "secondary" : "ghost"} aria-pressed={view === "models"} onClick={() => onView("models")}>
          <Boxes size={14} /> Models
        </Button>
        <Button size="sm" variant={view === "docs" ? "secondary" : "ghost"} aria-pressed={view === "docs"} onClick={() => onView("docs")}>
          <FileText size={14} /> Docs
        </Button>
        <Button size="sm" variant={view === "bench" ? "secondary" : "ghost"} aria-pressed={view === "bench"} onClick={() => onView("bench")}>
          <Gauge size={14} /> Bench
        </Button>
      </div>
      <div className="px-3 pb-2">
        <input
          type="search"
          id={SEARCH_ID}
          aria-label="Search conversations"
          placeholder="Search"
          className="h-8 w-full rounded border border-border bg-bg px-2 text-sm"
          value={query}
          onChange={(e) => onQuery(e.target.value)}
        />
      </div>
      <ul className="flex-1 overflow-y-auto px-2 pb-2">
        {conversations.length === 0 && (
          <li className="px-2 py-4 text-sm text-fg-muted">{query ? "Nothing matches." : "No conversations yet. Load a model and say hello."}</li>
        )}
        {conversations.map((c) => (
          <li
            key={c.id}
            data-testid="conversation"
            className={cn("group flex items-center rounded px-2 py-1.5 text-sm", c.id === activeId ? "bg-muted" : "hover:bg-muted/60")}
          >
            {renaming === c.id ? (
              <form
                className="flex-1"
                onSubmit={(event) => {
                  event.preventDefault();
                  if (title.trim()) onRename(c.id, title.trim());
                  setRenaming(null);
                }}
              >
                <input
                  // biome-ignore lint/a11y/noAutofocus: Rename was just pressed; the title field is where the reader's attention is
                  autoFocus
                  aria-label="Conversation title"
                  className="w-full rounded border border-border bg-bg px-1"
                  value={title}
                  onChange={(e) => setTitle(e.target.value)}
                  onKeyDown={(e) => e.key === "Escape" && setRenaming(null)}
                  onBlur={() => setRenaming(null)}
                />
              </form>
            ) : (
              <button type="button" className="flex-1 truncate text-left" onClick={() => onSelect(c.id)}>
                {c.title}
              </button>
            )}
            <span className="hidden gap-0.5 group-hover:flex group-focus-within:flex">
              <Button
                size="icon"
                variant="ghost"
                title="Rename"
                aria-label={`Rename ${c.title}`}
                onClick={() => {
                  setTitle(c.title);
                  setRenaming(c.id);
                }}
              >
                <Pencil size={13} />
              </Button>
              <Button
                size="icon"
                variant="ghost"
                title="Export"
                aria-label={`Export ${c.title}`}
                aria-expanded={exporting === c.id}
                onClick={() => setExporting(exporting === c.id ? null : c.id)}
              >
                <Download size={13} />
              </Button>
              <Button size="icon" variant="ghost" title="Delete" aria-label={`Delete ${c.title}`} onClick={() => onDelete(c)}>
                <Trash2 size={13} />
              </Button>
            </span>
            {exporting === c.id && (
              // biome-ignore lint/a11y/useSemanticElements: two choices beside the conversation, not a form's fieldset
              <span role="group" aria-label={`Export ${c.title} as`} className="ml-1 flex gap-0.5" onKeyDown={(e) => e.key === "Escape" && setExporting(null)}>
                {(["md", "json"] as const).map((format) => (
                  <Button
                    key={format}
                    size="sm"
                    variant="secondary"
                    onClick={() => {
                      onExport(c.id, format);
                      setExporting(null);
                    }}
                  >
                    {format === "md" ? "Markdown" : "JSON"}
                  </Button>
                ))}
              </span>
            )}
          </li>
        ))}
      </ul>
    </nav>
  );
}
