#!/usr/bin/env node
// The `hearth` command. Runs the TypeScript CLI through tsx, so the installed package needs no build step.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../electron/cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
