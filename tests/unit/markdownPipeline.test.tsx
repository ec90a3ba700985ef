import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { Element } from "hast";
import { markdownToHast, textChunks } from "../../renderer/src/lib/markdownHast";
import { markdownToReact } from "../../renderer/src/lib/markdownPipeline";

const html = (text: string) => renderToStaticMarkup(markdownToReact(text));

describe("markdownToReact", () => {
  it("renders GFM tables, highlighted code and LaTeX", () => {
    expect(html("| a | b |\n|---|---|\n| 1 | 2 |")).toContain("<table>");
    const code = html("```js\nconst x = 1;\n```");
    expect(code).toContain('class="hljs language-js"');
    expect(code).toContain('<span class="hljs-keyword">const</span>');
    expect(html("$x^2$")).toContain('class="katex"');
  });

  it("drops raw HTML from the model", () => {
    const out = html('Hello <script>alert(1)</script><img src=x onerror="alert(2)"> world');
    expect(out).not.toMatch(/<script|<img|onerror/);
    expect(out).toContain("Hello");
  });

  it("drops unsafe link protocols and keeps safe ones", () => {
    expect(html("[x](javascript:alert(1))")).toContain("<a>x</a>");
    expect(html("[x](https://example.com/a?b=1)")).toContain('href="https://example.com/a?b=1"');
    expect(html("![i](data:image/png;base64,AAA)")).not.toContain("data:");
  });

  it("passes elements through the given components", () => {
    const out = renderToStaticMarkup(markdownToReact("[x](https://example.com)", { a: ({ children }) => <b>{children}</b> }));
    expect(out).toBe("<p><b>x</b></p>");
  });
});

describe("long text", () => {
  const words = (n: number) => Array.from({ length: n }, (_, i) => `word${i}`).join(" ");

  it("is split into chunks that join back to the text, ending at whitespace", () => {
    const text = words(1000);
    const chunks = textChunks(text);
    expect(chunks.length).toBeGreaterThan(5);
    expect(chunks.join("")).toBe(text);
    expect(chunks.slice(0, -1).every((chunk) => /\s$/.test(chunk) && chunk.length >= 800)).toBe(true);
  });

  it("keeps its earlier chunks unchanged as it grows, so only the last one changes", () => {
    const before = textChunks(words(1000));
    const after = textChunks(words(1200));
    expect(after.slice(0, before.length - 1)).toEqual(before.slice(0, -1));
  });

  it("renders the same after splitting, in paragraphs and code", () => {
    const paragraph = words(600);
    const tree = markdownToHast(paragraph);
    const p = tree.children[0] as Element;
    expect(p.children.length).toBeGreaterThan(1);
    expect(html(paragraph)).toBe(`<p>${paragraph}</p>`);
    const code = `\`\`\`\n${words(600)}\n\`\`\``;
    expect(html(code)).toBe(`<pre><code>${words(600)}\n</code></pre>`);
  });
});
