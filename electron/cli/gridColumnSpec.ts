import { InvalidArgumentError } from "commander";
import type { GridColumnInput, GridColumnType } from "../shared/grids";

/**
 * A column as the CLI takes it: "label: question" with an optional ":type" at the end, where type
 * is text, number, date, yesno or choice(a|b|c). A question may hold colons: only a last part
 * that names a type is read as one.
 */
export function parseColumnSpec(spec: string): GridColumnInput {
  const colon = spec.indexOf(":");
  if (colon <= 0) throw new InvalidArgumentError(`"${spec}" needs a label and a question: "label: question[:type]".`);
  const label = spec.slice(0, colon).trim();
  let question = spec.slice(colon + 1).trim();
  let type: GridColumnType = { kind: "text" };
  const last = question.lastIndexOf(":");
  if (last > 0) {
    const named = typeNamed(question.slice(last + 1).trim());
    if (named) {
      type = named;
      question = question.slice(0, last).trim();
    }
  }
  if (!label || !question) throw new InvalidArgumentError(`"${spec}" needs a label and a question: "label: question[:type]".`);
  return { label, question, type };
}

function typeNamed(text: string): GridColumnType | null {
  const word = text.toLowerCase();
  if (word === "text") return { kind: "text" };
  if (word === "number") return { kind: "number" };
  if (word === "date") return { kind: "date" };
  if (word === "yesno" || word === "yes/no" || word === "boolean") return { kind: "yesNo" };
  const choice = /^choice\((.*)\)$/i.exec(text);
  if (choice) {
    const options = choice[1]!.split("|").map((o) => o.trim());
    if (options.length < 2 || options.some((o) => !o)) throw new InvalidArgumentError(`"${text}" needs two or more choices: choice(a|b|c).`);
    return { kind: "choice", options };
  }
  return null;
}

/** Commander's collector for a repeated --column. */
export function collectColumn(spec: string, earlier: GridColumnInput[] = []): GridColumnInput[] {
  return [...earlier, parseColumnSpec(spec)];
}
