// `node --import ./tests/support/importLog.mjs …`: writes every module the process resolves to
// the file named by HEARTH_IMPORT_LOG, so a test can tell what a command loaded at start.
import { register } from "node:module";

const hooks = `
import fs from "node:fs";
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  if (process.env.HEARTH_IMPORT_LOG) fs.appendFileSync(process.env.HEARTH_IMPORT_LOG, process.pid + " " + resolved.url + "\\n");
  return resolved;
}`;
register(`data:text/javascript,${encodeURIComponent(hooks)}`);
