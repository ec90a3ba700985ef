import type { Root } from "hast";
import { toJsxRuntime, type Components } from "hast-util-to-jsx-runtime";
import type { ReactElement } from "react";
import { Fragment, jsx, jsxs } from "react/jsx-runtime";
import { markdownToHast } from "./markdownHast";

export type { Components };

/** A syntax tree from `markdownToHast` to React elements, through the given components. */
export function hastToReact(tree: Root, components: Components = {}): ReactElement {
  return toJsxRuntime(tree, { Fragment, jsx, jsxs, components, ignoreInvalidStyle: true, passKeys: true });
}

/** Markdown (GFM, code, LaTeX) to React elements, with no raw HTML and only safe URL protocols. */
export function markdownToReact(text: string, components: Components = {}): ReactElement {
  return hastToReact(markdownToHast(text), components);
}
