#!/usr/bin/env node
// The `hearth` command.
import { main } from "./cliEntry.mjs";

process.exitCode = await main(process.argv.slice(2));
