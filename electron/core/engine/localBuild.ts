import { execFile, spawn } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { promisify } from "node:util";
import { HearthError } from "../../shared/errors";
import { localBuildCmakeOptions } from "./worker/localBuildOptions";

export { localBuildCmakeOptions };

const run = promisify(execFile);
const nodeRequire = createRequire(import.meta.url);

/** Which llama.cpp binary an engine process loads: node-llama-cpp's prebuilt one, or the one built on this machine. */
export type EngineBinary = "prebuilt" | "local";

/** node-llama-cpp's own folder (its package.json is not among its exports: found from its entry). */
function packageRoot(): string {
  for (let dir = path.dirname(nodeRequire.resolve("node-llama-cpp")); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "package.json"))) return dir;
    if (path.dirname(dir) === dir) throw new HearthError("INTERNAL", "node-llama-cpp's folder was not found.");
  }
}

/** Where node-llama-cpp keeps llama.cpp's bundled source and its local builds. */
export function llamaDirectory(): string {
  return path.join(packageRoot(), "llama");
}

/** Whether Hearth's build is among node-llama-cpp's finished local builds. */
export function localBuildExists(llamaDir: string = llamaDirectory()): boolean {
  const builds = path.join(llamaDir, "localBuilds");
  return ourBuilds(builds).some((folder) => fs.existsSync(path.join(builds, folder, "buildDone.status")));
}

/** Deletes Hearth's local builds (and their build folders); the prebuilt binary is untouched. */
export function removeLocalBuilds(llamaDir: string = llamaDirectory()): void {
  const builds = path.join(llamaDir, "localBuilds");
  for (const folder of ourBuilds(builds)) fs.rmSync(path.join(builds, folder), { recursive: true, force: true });
}

/** The folders of node-llama-cpp's local builds that are Hearth's: built for the CPU with its options. */
function ourBuilds(builds: string): string[] {
  if (!fs.existsSync(builds)) return [];
  return fs.readdirSync(builds).filter((folder) => {
    try {
      const { buildOptions } = JSON.parse(fs.readFileSync(path.join(builds, folder, "Release", "_nlcBuildMetadata.json"), "utf8")) as {
        buildOptions: { customCmakeOptions: Record<string, string>; gpu: unknown };
      };
      return buildOptions.gpu === false && sameOptions(buildOptions.customCmakeOptions, localBuildCmakeOptions());
    } catch {
      return false;
    }
  });
}

function sameOptions(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}

/**
 * Why llama.cpp cannot be built here, in one line, or null when it can: the bundled source, CMake,
 * a C++ compiler and npm (node-llama-cpp's build runs through it) must be there, and the folder
 * the build goes to must be writable (an installed app's is not).
 */
export async function buildProblem(env: NodeJS.ProcessEnv = process.env, llamaDir: string = llamaDirectory()): Promise<string | null> {
  if (/app\.asar/.test(llamaDir)) return "This is an installed Hearth: llama.cpp can be built only where Hearth runs from its source (npm start).";
  if (!fs.existsSync(path.join(llamaDir, "gitRelease.bundle")))
    return "node-llama-cpp's copy of the llama.cpp source is missing, and Hearth does not download it.";
  try {
    fs.accessSync(llamaDir, fs.constants.W_OK);
  } catch {
    return `Hearth cannot write to ${llamaDir}, where the build goes.`;
  }
  const has = async (command: string, args = ["--version"]) =>
    run(command, args, { env, timeout: 20_000, shell: process.platform === "win32" }).then(
      () => true,
      () => false,
    );
  if (!(await has("cmake"))) return "CMake is not installed: install CMake (3.19 or newer) and a C++ compiler to build llama.cpp here.";
  if (process.platform !== "win32" && !(await has(env.CXX || "c++"))) return "No C++ compiler found (c++): install one (gcc or clang) to build llama.cpp here.";
  if (!(await has("npm"))) return "npm is not on the PATH: node-llama-cpp's build runs through it.";
  return null;
}

/** How far a build is: its phase, and the share of the compile steps done. */
export interface BuildProgress {
  phase: "source" | "compile";
  done: number;
}

/** A terminal's colour and cursor codes, which the build's output is full of. */
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;?]*[A-Za-z]`, "g");

/** Reads node-llama-cpp's build output for progress: the source's clone percentage, then ninja's "[n/N]" steps. */
export function progressOf(line: string): BuildProgress | null {
  const plain = line.replace(ANSI, "");
  const step = /\[(\d+)\/(\d+)\]/.exec(plain);
  if (step) return { phase: "compile", done: Number(step[1]) / Number(step[2]) };
  const clone = /Cloning .*?(\d+)%/.exec(plain);
  if (clone) return { phase: "source", done: Number(clone[1]) / 100 };
  return null;
}

/**
 * Builds llama.cpp (and node-llama-cpp's addon, with Hearth's patches) from the source
 * node-llama-cpp bundles, for this machine's CPU, in a process of its own. Nothing is downloaded.
 * Resolves when the build is done; rejects with the build's last lines when it fails, or
 * ABORTED when `signal` stops it.
 */
export function runLocalBuild(onProgress: (progress: BuildProgress) => void, signal?: AbortSignal, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const cli = path.join(packageRoot(), "dist", "cli", "cli.js");
  const options = Object.fromEntries(Object.entries(localBuildCmakeOptions()).map(([key, value]) => [`NODE_LLAMA_CPP_CMAKE_OPTION_${key}`, value]));
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(new HearthError("ABORTED", "The build was stopped."));
    // Its own process group, so stopping it stops the compilers it started too.
    const child = spawn(process.execPath, [cli, "source", "download", "--gpu", "false", "--noUsageExample"], {
      env: { ...env, ...options, ELECTRON_RUN_AS_NODE: "1", FORCE_COLOR: "0", NODE_LLAMA_CPP_SKIP_DOWNLOAD: "true" },
      stdio: ["ignore", "pipe", "pipe"],
      detached: process.platform !== "win32",
    });
    const tail: string[] = [];
    const read = (chunk: Buffer) => {
      for (const line of chunk.toString("utf8").split(/\r|\n/)) {
        if (!line.trim()) continue;
        tail.push(line);
        if (tail.length > 12) tail.shift();
        const progress = progressOf(line);
        if (progress) onProgress(progress);
      }
    };
    child.stdout.on("data", read);
    child.stderr.on("data", read);
    const stop = () => {
      try {
        if (child.pid !== undefined) process.kill(process.platform === "win32" ? child.pid : -child.pid, "SIGTERM");
      } catch {
        child.kill("SIGTERM");
      }
    };
    signal?.addEventListener("abort", stop, { once: true });
    child.on("error", (error) => reject(new HearthError("INTERNAL", `The build could not start: ${error.message}`)));
    child.on("exit", (code) => {
      signal?.removeEventListener("abort", stop);
      if (signal?.aborted) return reject(new HearthError("ABORTED", "The build was stopped."));
      if (code === 0) return resolve();
      const said = tail.map((line) => line.replace(ANSI, "").trim()).join("\n");
      reject(new HearthError("INTERNAL", `Building llama.cpp failed (exit ${code}):\n${said}`));
    });
  });
}
