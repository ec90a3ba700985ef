/**
 * Engine-side work for the models page: which GPU backends this machine can use (and why not),
 * and how much memory a GGUF file would take. Runs in the engine process: both need
 * node-llama-cpp's native bindings.
 */
import { getLlama, getLlamaGpuTypes, GgufInsights, LlamaLogLevel, readGgufFileInfo, type Llama } from "node-llama-cpp";
import type { BackendProbe, FitEstimate, FitRequest } from "../protocol";

const GPU_BACKENDS = ["metal", "cuda", "vulkan"] as const;

const NOT_ON_PLATFORM: Record<(typeof GPU_BACKENDS)[number], string> = {
  metal: "Metal is available on macOS only.",
  cuda: "CUDA needs an NVIDIA GPU on Windows or Linux.",
  vulkan: "Vulkan builds are not offered on this platform.",
};

const NOT_LOADED: Record<(typeof GPU_BACKENDS)[number], string> = {
  metal: "Metal did not initialize on this Mac.",
  cuda: "No NVIDIA GPU or CUDA driver was found (the CUDA build did not load).",
  vulkan: "No Vulkan driver or GPU was found (the Vulkan build did not load).",
};

/** Tries each GPU backend this platform offers; the one in use is known to work. */
export async function probeBackends(llama: Llama, backendArg: string): Promise<BackendProbe> {
  const valid = await getLlamaGpuTypes("allValid");
  const chosen = llama.gpu === false ? "cpu" : llama.gpu;
  const backends: BackendProbe["backends"] = [];
  for (const name of GPU_BACKENDS) {
    if (name === chosen) {
      backends.push({ name, usable: true, reason: null });
    } else if (!valid.includes(name)) {
      backends.push({ name, usable: false, reason: NOT_ON_PLATFORM[name] });
    } else {
      try {
        const other = await getLlama({ gpu: name, build: "never", logLevel: LlamaLogLevel.disabled, progressLogs: false });
        const works = other.gpu === name;
        await other.dispose().catch(() => undefined);
        backends.push({ name, usable: works, reason: works ? null : NOT_LOADED[name] });
      } catch (error) {
        // Some errors carry only their class name as message: nothing to add then.
        const detail = error instanceof Error && !/^\w+Error$/.test(error.message) ? ` (${error.message})` : "";
        backends.push({ name, usable: false, reason: `${NOT_LOADED[name]}${detail}` });
      }
    }
  }
  backends.push({ name: "cpu", usable: true, reason: null });
  const gpu = llama.gpu !== false;
  const vram = gpu ? await llama.getVramState() : null;
  const unusable = backends.filter((b) => !b.usable && valid.includes(b.name as never));
  const fallbackReason =
    backendArg === "auto" && !gpu
      ? unusable.length > 0
        ? `Running on the CPU: ${unusable.map((b) => `${b.name.toUpperCase()}: ${b.reason}`).join(" ")}`
        : "Running on the CPU: no GPU backend is offered on this platform."
      : null;
  return {
    backends,
    chosen,
    fallbackReason: backendArg === "cpu" ? null : fallbackReason,
    gpus: gpu ? await llama.getGpuDeviceNames() : [],
    vram: vram ? { totalBytes: vram.total, freeBytes: vram.free } : null,
  };
}

/** Estimates memory for a GGUF file (a local copy of its header is enough) at a context size. */
export async function estimateFit(llama: Llama, request: FitRequest): Promise<FitEstimate> {
  const info = await readGgufFileInfo(request.path, { sourceType: "filesystem", logWarnings: false });
  const insights = await GgufInsights.from(info, llama);
  const contextSize = Math.min(request.contextSize, insights.trainContextSize ?? request.contextSize);
  const totalLayers = insights.totalLayers;
  if (llama.gpu === false) {
    const model = insights.estimateModelResourceRequirements({ gpuLayers: 0 });
    const context = insights.estimateContextResourceRequirements({ contextSize, modelGpuLayers: 0 });
    return { gpu: false, gpuLayers: 0, totalLayers, contextSize, ramBytes: model.cpuRam + context.cpuRam, vramBytes: 0 };
  }
  const resolved = await insights.configurationResolver.resolveAndScoreConfig({ targetContextSize: contextSize });
  const values = resolved.resolvedValues;
  return { gpu: true, gpuLayers: values.gpuLayers, totalLayers, contextSize, ramBytes: values.totalRamUsage, vramBytes: values.totalVramUsage };
}
