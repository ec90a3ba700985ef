import { memo, useState, type ReactElement } from "react";
import { Check, Copy } from "lucide-react";
import { markdownBlocks } from "../lib/markdownBlocks";
import { markdownToReact, type Components } from "../lib/markdownPipeline";

/**
 * Model output is untrusted text: Markdown (GFM, code, LaTeX) without raw HTML, links opened outside.
 * Rendered block by block, each memoized, so a growing reply only re-parses its last block.
 */
export function Markdown({ text }: { text: string }) {
  return (
    <div className="markdown">
      {markdownBlocks(text).map((block, index) => (
        <MarkdownBlock key={index} text={block} />
      ))}
    </div>
  );
}

const MarkdownBlock = memo(function MarkdownBlock({ text }: { text: string }) {
  return renderBlock(text);
});

// Parsing is the costly part of showing a message, and a virtualized list mounts the same messages
// again and again as the reader scrolls or comes back to a conversation: keep the rendered blocks.
const CACHE_LIMIT = 600;
const rendered = new Map<string, ReactElement>();

function renderBlock(text: string): ReactElement {
  let element = rendered.get(text);
  if (element) rendered.delete(text);
  else element = markdownToReact(text, components);
  rendered.set(text, element);
  if (rendered.size > CACHE_LIMIT) rendered.delete(rendered.keys().next().value!);
  return element;
}

/** Runs the whole pipeline once while the app is idle, so the first conversation opened is not the one that pays for a cold start. */
export function warmUpMarkdown(): void {
  markdownToReact("# Title\n\nSome **bold** and `code`, a [link](https://example.com).\n\n- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```js\nconst x = 1;\n```\n\n$x^2$", components);
}

const components: Components = {
  a: ({ href, children }) => (
    <a href={href} target="_blank" rel="noreferrer noopener">
      {children}
    </a>
  ),
  pre: ({ children }) => <CodeBlock>{children}</CodeBlock>,
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
