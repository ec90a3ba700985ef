import { useState } from "react";
import {
  Boxes,
  Download,
  FileText,
  Gauge,
  MessageSquare,
  MessageSquarePlus,
  PanelLeftClose,
  PanelLeftOpen,
  Pencil,
  Settings,
  Sparkles,
  Trash2,
  Server,
} from "lucide-react";
import type { Conversation } from "../../../electron/shared/contract";
import { cn } from "../lib/cn";
import { SEARCH_ID } from "../lib/shortcuts";
import { Button } from "./ui/Button";

export type View = "chat" | "models" | "docs" | "bench" | "server" | "settings";

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
  /** A title written by the loaded model (null when none could be had: the error is reported). */
  onSuggestTitle(id: string): Promise<string | null>;
  /** Narrow: icons only, no conversation list. */
  collapsed: boolean;
  onToggle(): void;
}

const PAGES: { view: View; label: string; icon: typeof MessageSquare }[] = [
  { view: "chat", label: "Chat", icon: MessageSquare },
  { view: "models", label: "Models", icon: Boxes },
  { view: "docs", label: "Docs", icon: FileText },
  { view: "bench", label: "Bench", icon: Gauge },
  { view: "server", label: "Server", icon: Server },
  { view: "settings", label: "Settings", icon: Settings },
];

export function Sidebar(props: Props) {
  const { view, onView, conversations, activeId, query, onQuery, onSelect, onNew, onRename, onDelete, onExport, collapsed, onToggle, onSuggestTitle } = props;
  const [suggesting, setSuggesting] = useState(false);
  const [renaming, setRenaming] = useState<string | null>(null);
  const [exporting, setExporting] = useState<string | null>(null);
  const [title, setTitle] = useState("");
  const pages = (
    // biome-ignore lint/a11y/useSemanticElements: a row of page buttons, not a form's fieldset
    <div className={collapsed ? "flex flex-col items-center gap-1" : "flex flex-wrap gap-1 px-3 pb-2"} role="group" aria-label="Pages">
      {PAGES.map(({ view: page, label, icon: Icon }) => (
        <Button
          key={page}
          size={collapsed ? "icon" : "sm"}
          variant={view === page ? "secondary" : "ghost"}
          aria-current={view === page ? "page" : undefined}
          aria-label={collapsed ? label : undefined}
          onClick={() => onView(page)}
        >
          <Icon size={14} /> {!collapsed && label}
        </Button>
      ))}
    </div>
  );
  if (collapsed) {
    return (
      <nav aria-label="Pages and conversations" className="flex h-full w-12 shrink-0 flex-col items-center gap-2 border-r border-border bg-panel py-3">
        <Button size="icon" variant="ghost" aria-label="Show the sidebar" aria-expanded={false} onClick={onToggle}>
          <PanelLeftOpen size={16} />
        </Button>
        <Button size="icon" variant="ghost" aria-label="New chat" onClick={onNew}>
          <MessageSquarePlus size={16} />
        </Button>
        {pages}
      </nav>
    );
  }
  return (
    <nav aria-label="Pages and conversations" className="flex h-full w-64 shrink-0 flex-col border-r border-border bg-panel">
      <div className="flex items-center gap-1 px-3 py-3">
        <span className="flex-1 font-semibold">Hearth</span>
        <Button size="sm" variant="ghost" onClick={onNew} aria-label="New chat">
          <MessageSquarePlus size={16} /> New chat
        </Button>
        <Button size="icon" variant="ghost" aria-label="Hide the sidebar" aria-expanded onClick={onToggle}>
          <PanelLeftClose size={16} />
        </Button>
      </div>
      {pages}
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
      <h2 className="sr-only">Conversations</h2>
      <ul className="flex-1 overflow-y-auto px-2 pb-2" aria-label="Conversations">
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
                className="flex flex-1 items-center gap-1"
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
                  // Leaving the form cancels the rename; moving to its own Suggest button does not.
                  onBlur={(e) => !e.currentTarget.form?.contains(e.relatedTarget) && setRenaming(null)}
                />
                <Button
                  size="icon"
                  variant="ghost"
                  aria-label="Suggest a title"
                  // Not disabled while it works: a disabled button drops the focus, which would close the form.
                  aria-busy={suggesting}
                  onBlur={(e) => !e.currentTarget.form?.contains(e.relatedTarget) && setRenaming(null)}
                  onClick={async (e) => {
                    if (suggesting) return;
                    const field = e.currentTarget.form?.querySelector("input");
                    setSuggesting(true);
                    const suggested = await onSuggestTitle(c.id);
                    setSuggesting(false);
                    if (suggested) setTitle(suggested);
                    field?.focus();
                  }}
                >
                  <Sparkles size={13} className={suggesting ? "animate-pulse" : undefined} />
                </Button>
              </form>
            ) : (
              <button type="button" aria-current={c.id === activeId ? "true" : undefined} className="flex-1 truncate text-left" onClick={() => onSelect(c.id)}>
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
