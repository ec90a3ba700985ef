// Loads the TypeScript CLI through tsx, so the installed package needs no build step.
import { register } from "tsx/esm/api";

register();
export const { main } = await import("../electron/cli/main.ts");
