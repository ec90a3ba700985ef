import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { projectRoot } from "../support/testModel";

const run = promisify(execFile);

// A CPU may announce AMX that its (virtual) machine does not let programs use: built natively with
// it, llama.cpp dies of an illegal instruction on quantized models (seen on this project's VM).
// node-llama-cpp's prebuilt binaries have no AMX either, so the comparison stays like for like.
const NO_AMX = "-mno-amx-tile -mno-amx-int8 -mno-amx-bf16";
const BUILD_DIR = "build-native-noamx";

/**
 * llama.cpp's own llama-bench and llama-server, built once from the source node-llama-cpp ships
 * (its git bundle, the same commit its binaries come from) into a cache outside the repository,
 * native CPU flags on (as a user building llama.cpp would). Returns the two programs' paths.
 */
export async function llamaCppTools(): Promise<{ bench: string; server: string; tag: string }> {
  const nodeLlama = path.join(projectRoot, "node_modules/node-llama-cpp/llama");
  const { tag } = JSON.parse(fs.readFileSync(path.join(nodeLlama, "llama.cpp.info.json"), "utf8")) as { tag: string };
  const root = path.join(process.env.HEARTH_BENCH_CACHE ?? path.join(os.homedir(), ".cache/hearth-bench"), `llama.cpp-${tag}`);
  const build = path.join(root, BUILD_DIR);
  const bin = path.join(build, "bin");
  const tools = { bench: path.join(bin, "llama-bench"), server: path.join(bin, "llama-server"), tag };
  if (fs.existsSync(tools.bench) && fs.existsSync(tools.server)) return tools;

  const source = path.join(root, "src");
  if (!fs.existsSync(path.join(source, "CMakeLists.txt"))) {
    fs.rmSync(source, { recursive: true, force: true });
    fs.mkdirSync(root, { recursive: true });
    process.stderr.write(`cloning llama.cpp ${tag} from node-llama-cpp's bundle…\n`);
    await run("git", ["clone", "--quiet", path.join(nodeLlama, "gitRelease.bundle"), source], { maxBuffer: 1 << 24 });
  }
  process.stderr.write("building llama-bench and llama-server (once; several minutes on two cores)…\n");
  await run(
    "cmake",
    [
      "-S",
      source,
      "-B",
      build,
      "-DCMAKE_BUILD_TYPE=Release",
      "-DGGML_NATIVE=ON",
      `-DCMAKE_C_FLAGS=${NO_AMX}`,
      `-DCMAKE_CXX_FLAGS=${NO_AMX}`,
      "-DLLAMA_CURL=OFF",
      "-DLLAMA_BUILD_TESTS=OFF",
      "-DLLAMA_BUILD_EXAMPLES=OFF",
    ],
    { maxBuffer: 1 << 26 },
  );
  await run("cmake", ["--build", build, "--config", "Release", "-j", String(os.availableParallelism()), "--target", "llama-bench", "llama-server"], {
    maxBuffer: 1 << 28,
  });
  return tools;
}
