import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
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
