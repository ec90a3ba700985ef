import { type ChildProcess, execFile, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { projectRoot } from "../support/testModel";
import { syntheticModel } from "./benchSupport";

const run = promisify(execFile);

const BUILD_DIR = "build-variants";

export interface LlamaCppTools {
  bench: string;
  server: string;
  tag: string;
  /** The CPU variant llama.cpp picks on this machine (haswell, zen4, sapphirerapids…). */
  variant: string;
  /** Variants removed because they die of an illegal instruction here (see below). */
  dropped: string[];
}

/**
 * llama.cpp's own llama-bench and llama-server, built once from the source node-llama-cpp ships
 * (its git bundle, the same commit its binaries come from) into a cache outside the repository,
 * the way llama.cpp's releases (and the apps that ship them) are built: every CPU variant as a
 * loadable backend, the best for the machine picked at run time, OpenMP on.
 *
 * A virtual machine may announce CPU features (AMX) that it does not let programs use: the variant
 * built for them then dies of an illegal instruction (seen on this project's VM). Such a variant
 * is set aside, so llama.cpp runs its best variant that works here, and that is said.
 */
export async function llamaCppTools(): Promise<LlamaCppTools> {
  const nodeLlama = path.join(projectRoot, "node_modules/node-llama-cpp/llama");
  const { tag } = JSON.parse(fs.readFileSync(path.join(nodeLlama, "llama.cpp.info.json"), "utf8")) as { tag: string };
  const root = path.join(process.env.HEARTH_BENCH_CACHE ?? path.join(os.homedir(), ".cache/hearth-bench"), `llama.cpp-${tag}`);
  const build = path.join(root, BUILD_DIR);
  const bin = path.join(build, "bin");
  const bench = path.join(bin, "llama-bench");
  const server = path.join(bin, "llama-server");
  if (!fs.existsSync(bench) || !fs.existsSync(server)) {
    const source = path.join(root, "src");
    if (!fs.existsSync(path.join(source, "CMakeLists.txt"))) {
      fs.rmSync(source, { recursive: true, force: true });
      fs.mkdirSync(root, { recursive: true });
      process.stderr.write(`cloning llama.cpp ${tag} from node-llama-cpp's bundle…\n`);
      await run("git", ["clone", "--quiet", path.join(nodeLlama, "gitRelease.bundle"), source], { maxBuffer: 1 << 24 });
    }
    process.stderr.write("building llama-bench and llama-server with every CPU variant (once; half an hour on two cores)…\n");
    await run(
      "cmake",
      [
        "-S",
        source,
        "-B",
        build,
        "-DCMAKE_BUILD_TYPE=Release",
        "-DGGML_NATIVE=OFF",
        "-DGGML_BACKEND_DL=ON",
        "-DGGML_CPU_ALL_VARIANTS=ON",
        "-DLLAMA_CURL=OFF",
        "-DLLAMA_BUILD_TESTS=OFF",
        "-DLLAMA_BUILD_EXAMPLES=OFF",
      ],
      { maxBuffer: 1 << 26 },
    );
    await run("cmake", ["--build", build, "--config", "Release", "-j", String(os.availableParallelism()), "--target", "llama-bench", "llama-server"], {
      maxBuffer: 1 << 28,
    });
  }
  // A quantized model: the features a VM may deny (AMX) are used on quantized weights only.
  const probeModel = await syntheticModel("tiny", "q4_0");
  const dropped = fs
    .readdirSync(bin)
    .filter((file) => file.endsWith(".so.illegal"))
    .map(variantOf);
  for (;;) {
    const probe = await run(bench, ["-m", probeModel, "-p", "8", "-n", "4", "-r", "1", "-o", "json"], { maxBuffer: 1 << 24 }).then(
      ({ stderr }) => ({ died: false, stderr }),
      (error: { signal?: string; code?: number; stderr?: string }) => ({
        died: error.signal === "SIGILL" || error.code === 132,
        stderr: error.stderr ?? "",
        error,
      }),
    );
    const loaded = /loaded CPU backend from (\S+)/.exec(probe.stderr)?.[1];
    if (!probe.died) {
      if ("error" in probe) throw new Error(`llama-bench failed on a tiny model: ${probe.stderr.trim().split("\n").slice(-3).join(" | ")}`);
      return { bench, server, tag, variant: loaded ? variantOf(loaded) : "unknown", dropped };
    }
    if (!loaded) throw new Error("llama-bench died of an illegal instruction before it loaded a CPU backend.");
    fs.renameSync(loaded, `${loaded}.illegal`);
    dropped.push(variantOf(loaded));
    process.stderr.write(`llama.cpp's ${variantOf(loaded)} CPU variant dies of an illegal instruction on this machine; set aside.\n`);
  }
}

function variantOf(file: string): string {
  return /libggml-cpu-([\w-]+)\.so/.exec(path.basename(file))?.[1] ?? path.basename(file);
}

/**
 * llama-server on a free port with the model loaded once (as Hearth's engine keeps it): `slots`
 * parallel sequences of `contextSize` tokens each (the context is split among them), flash
 * attention off and no GPU layers, like Hearth's defaults on this machine.
 */
export async function startLlamaServer(
  server: string,
  file: string,
  { threads, contextSize, slots }: { threads: number; contextSize: number; slots: number },
): Promise<{ url: string; process: ChildProcess }> {
  const port = 18_000 + Math.floor(Math.random() * 2000);
  const args = ["-m", file, "-t", String(threads), "-c", String(contextSize * slots), "-np", String(slots), "-fa", "off", "-ngl", "0"];
  const child = spawn(server, [...args, "--port", String(port), "--host", "127.0.0.1"], { stdio: ["ignore", "ignore", "pipe"] });
  let log = "";
  child.stderr!.on("data", (chunk) => {
    log = (log + chunk).slice(-2000);
  });
  let exited: string | null = null;
  child.once("exit", (code, signal) => {
    exited = `llama-server stopped (${signal ?? code}): ${log.trim().split("\n").slice(-3).join(" | ")}`;
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600; i++) {
    if (exited) throw new Error(exited);
    const healthy = await fetch(`${url}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (healthy) return { url, process: child };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill("SIGTERM");
  throw new Error("llama-server did not start within a minute");
}
