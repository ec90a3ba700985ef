import { describe, expect, it } from "vitest";
import { passageSnippet } from "../../renderer/src/lib/passageSnippet";

describe("passageSnippet", () => {
  const passage =
    "Residential lease, page 2 This agreement binds the parties. Each party acts in good faith. The lease renews automatically on the first of March. Notices are given in writing.";

  it("shows the sentence holding most of the question's words (by their first letters), and the next", () => {
    expect(passageSnippet(passage, "When does the lease renew?")).toBe("… The lease renews automatically on the first of March. Notices are given in writing.");
  });

  it("starts at the beginning when nothing matches, and cuts a long snippet", () => {
    expect(passageSnippet(passage, "zebra")).toMatch(/^Residential lease/);
    expect(passageSnippet("A".repeat(500), "a", 50)).toHaveLength(50);
  });
});
