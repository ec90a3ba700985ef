import { spawn } from "node:child_process";
import path from "node:path";
import { projectRoot } from "./testModel";

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

const bin = path.join(projectRoot, "bin/hearth.mjs");

/** Runs the real `hearth` command in its own process, as a user would. */
export function runCli(args: string[], options: { dataDir: string; input?: string; env?: NodeJS.ProcessEnv } = { dataDir: "" }): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, "--data-dir", options.dataDir, ...args], {
      env: { ...process.env, NO_COLOR: "1", ...options.env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? "");
  });
}

export function spawnCli(args: string[], dataDir: string, env: NodeJS.ProcessEnv = {}) {
  return spawn(process.execPath, [bin, "--data-dir", dataDir, ...args], {
    env: { ...process.env, NO_COLOR: "1", ...env },
    stdio: ["pipe", "pipe", "pipe"],
  });
}
