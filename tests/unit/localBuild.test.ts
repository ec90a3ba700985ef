import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildProblem, localBuildCmakeOptions, localBuildExists, progressOf, removeLocalBuilds } from "../../electron/core/engine/localBuild";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-llama-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** A llama folder as node-llama-cpp lays it out: the bundled source, and local builds with their metadata. */
function llamaFolder(name: string, builds: Record<string, Record<string, string>> = {}): string {
  const dir = path.join(root, name);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "gitRelease.bundle"), "");
  for (const [folder, options] of Object.entries(builds)) {
    fs.mkdirSync(path.join(dir, "localBuilds", folder, "Release"), { recursive: true });
    fs.writeFileSync(path.join(dir, "localBuilds", folder, "buildDone.status"), "");
    fs.writeFileSync(
      path.join(dir, "localBuilds", folder, "Release", "_nlcBuildMetadata.json"),
      JSON.stringify({ buildOptions: { customCmakeOptions: options, gpu: false } }),
    );
  }
  return dir;
}

describe("building llama.cpp on this machine", () => {
  it("reads node-llama-cpp's build output for progress: the source's copy, then ninja's steps, colours and all", () => {
    expect(progressOf("\x1b[2K\x1b[GCloning ggml-org/llama.cpp (local bundle)                    40%")).toEqual({ phase: "source", done: 0.4 });
    expect(progressOf("[69/277] Building CXX object llama.cpp/src/CMakeFiles/llama.dir/llama-model.cpp.o")).toEqual({ phase: "compile", done: 69 / 277 });
    expect(progressOf("- Removing existing llama.cpp directory")).toBeNull();
  });

  it("says in one line why it cannot build: no CMake, no compiler, no source, an installed app", async () => {
    const llama = llamaFolder("plain");
    const empty = fs.mkdtempSync(path.join(root, "bin-"));
    const noCmake = await buildProblem({ PATH: empty }, llama);
    expect(noCmake).toMatch(/^CMake is not installed: install CMake/);
    // A PATH with cmake but no C++ compiler (a cmake that only answers --version).
    const cmakeOnly = fs.mkdtempSync(path.join(root, "bin-"));
    fs.writeFileSync(path.join(cmakeOnly, "cmake"), "#!/bin/sh\necho cmake version 3.25\n", { mode: 0o755 });
    expect(await buildProblem({ PATH: cmakeOnly, CXX: "no-such-compiler" }, llama)).toMatch(/^No C\+\+ compiler found/);
    fs.rmSync(path.join(llama, "gitRelease.bundle"));
    expect(await buildProblem(process.env, llama)).toMatch(/copy of the llama.cpp source is missing/);
    expect(await buildProblem(process.env, "/opt/Hearth/resources/app.asar/node_modules/node-llama-cpp/llama")).toMatch(/installed Hearth/);
    for (const problem of [noCmake]) expect(problem).not.toContain("\n");
  });

  it("finds its own build among node-llama-cpp's local builds, and removes only that", () => {
    const llama = llamaFolder("builds", { "linux-x64-other": { GGML_CUDA: "1" } });
    expect(localBuildExists(llama)).toBe(false);
    const ours = llamaFolder("builds", { "linux-x64-ours": localBuildCmakeOptions() });
    expect(localBuildExists(ours)).toBe(true);
    removeLocalBuilds(ours);
    expect(localBuildExists(ours)).toBe(false);
    expect(fs.existsSync(path.join(ours, "localBuilds", "linux-x64-other"))).toBe(true);
  });

  it("builds for this CPU, without AMX tiles on x64 (they fault on some virtual machines)", () => {
    expect(localBuildCmakeOptions("arm64")).toEqual({ GGML_NATIVE: "ON" });
    expect(localBuildCmakeOptions("x64").CMAKE_CXX_FLAGS_RELEASE).toContain("-mno-amx-tile");
  });
});
