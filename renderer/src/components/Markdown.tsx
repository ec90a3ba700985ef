import { memo, useEffect, useRef, useState, type ReactElement } from "react";
import { Check, Copy } from "lucide-react";
import { markdownBlocks } from "../lib/markdownBlocks";
import { latestParser } from "../lib/markdownOffThread";
import { linkCitations } from "../lib/citationRefs";
import { markdownToHast } from "../lib/markdownHast";
import { hastToReact, markdownToReact, type Components } from "../lib/markdownPipeline";
import { CitationRef } from "./documents/CitationRef";

/**
 * Model output is untrusted text: Markdown (GFM, code, LaTeX) without raw HTML, links opened outside.
 * Rendered block by block, each memoized, so a growing reply only re-parses its last block.
 */
export function Markdown({
  text,
  citations = 0,
  typed = false,
}: {
  text: string;
  /** Sources the reply was given: its [1]…[n] become links to them. */
  citations?: number;
  /** A person's message: every line break is kept, as typed. */
  typed?: boolean;
}) {
  return (
    <div className="markdown prose max-w-none">
      {markdownBlocks(text).map((block, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: blocks only grow at the end, so a block's place is its identity
        <MarkdownBlock key={index} text={block} citations={citations} typed={typed} />
      ))}
    </div>
  );
}

/** A block this long is parsed in a worker: on the main thread it would hold up frames (a long code listing, say). */
const OFF_THREAD_FROM = 2_000;

const MarkdownBlock = memo(function MarkdownBlock({ text, citations, typed }: { text: string; citations: number; typed: boolean }) {
  // The same text with another number of sources, or typed by a person, renders otherwise: all are part of the key.
  const key = typed ? `typed\u0000${text}` : citations > 0 ? `${citations}\u0000${text}` : text;
  const cached = cachedBlock(key);
  // A person's message is parsed here (the worker knows replies' Markdown only).
  const offThread = !cached && !typed && text.length >= OFF_THREAD_FROM;
  // What this block showed last: kept on screen while a newer version is parsed in the worker.
  const shown = useRef<ReactElement | null>(null);
  const parse = useRef<((text: string) => void) | null>(null);
  const [, setParsed] = useState(0);

  useEffect(() => {
    if (!offThread) return;
    parse.current ??= latestParser((parsedText, tree) => {
      shown.current = remember(citations > 0 ? `${citations}\u0000${parsedText}` : parsedText, hastToReact(linkCitations(tree, citations), components));
      setParsed((n) => n + 1);
    });
    parse.current(text);
  }, [offThread, text, citations]);

  const element =
    cached ??
    (offThread
      ? (shown.current ?? <p className="whitespace-pre-wrap">{text}</p>)
      : remember(key, hastToReact(linkCitations(markdownToHast(text, { breaks: typed }), citations), components)));
  shown.current = element;
  return element;
});

// Parsing is the costly part of showing a message, and a virtualized list mounts the same messages
// again and again as the reader scrolls or comes back to a conversation: keep the rendered blocks,
// within a budget of text so a long streamed reply's many versions cannot pile up.
const CACHE_CHARS = 1_000_000;
const rendered = new Map<string, ReactElement>();
let cachedChars = 0;

function cachedBlock(text: string): ReactElement | undefined {
  const element = rendered.get(text);
  if (element) {
    rendered.delete(text);
    rendered.set(text, element);
  }
  return element;
}

function remember(text: string, element: ReactElement): ReactElement {
  if (!rendered.has(text)) cachedChars += text.length;
  rendered.set(text, element);
  for (const [oldest] of rendered) {
    if (cachedChars <= CACHE_CHARS) break;
    rendered.delete(oldest);
    cachedChars -= oldest.length;
  }
  return element;
}

/** Runs the whole pipeline once while the app is idle, so the first conversation opened is not the one that pays for a cold start. */
export function warmUpMarkdown(): void {
  markdownToReact(
    "# Title\n\nSome **bold** and `code`, a [link](https://example.com).\n\n- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```js\nconst x = 1;\n```\n\n$x^2$",
    components,
  );
}

const components: Components = {
  a: ({ href, children }) => (
    <a href={href} target="_blank" rel="noreferrer noopener">
      {children}
    </a>
  ),
  pre: ({ children }) => <CodeBlock>{children}</CodeBlock>,
  sup: ({ children, ...props }) => {
    const cite = (props as { "data-cite"?: string })["data-cite"];
    return cite ? <CitationRef n={Number(cite)} /> : <sup>{children}</sup>;
  },
};

function CodeBlock({ children }: { children: React.ReactNode }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="group relative">
      <button
        type="button"
        aria-label="Copy code"
        className="absolute right-2 top-2 rounded bg-muted p-1 text-fg-muted opacity-0 transition-opacity group-hover:opacity-100 focus:opacity-100"
        onClick={(event) => {
          const code = (event.currentTarget.parentElement?.querySelector("code")?.textContent ?? "").replace(/\n$/, "");
          void navigator.clipboard?.writeText(code).then(() => {
            setCopied(true);
            setTimeout(() => setCopied(false), 1500);
          });
        }}
      >
        {copied ? <Check size={14} /> : <Copy size={14} />}
      </button>
      <pre>{children}</pre>
    </div>
  );
}
