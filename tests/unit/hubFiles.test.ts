import { describe, expect, it } from "vitest";
import { groupGgufFiles, quantFromName, selectGroup } from "../../electron/core/hub/groupGgufFiles";
import { fitVerdict, recommendGroup } from "../../electron/core/hub/fitVerdict";
import { fileUrl, hubEndpoint, isRepoId } from "../../electron/core/hub/hubEndpoint";
import type { Fit } from "../../electron/shared/modelHub";

const file = (path: string, size = 100) => ({ path, size, sha256: null });
const GB = 1e9;

describe("quantFromName", () => {
  it("reads llama.cpp quantization names from file names", () => {
    expect(quantFromName("qwen2.5-0.5b-instruct-q4_k_m.gguf")).toBe("Q4_K_M");
    expect(quantFromName("Llama-3.2-1B-Instruct-IQ3_XXS.gguf")).toBe("IQ3_XXS");
    expect(quantFromName("Q8_0/model-Q8_0.gguf")).toBe("Q8_0");
    expect(quantFromName("gemma-2-2b-it-f16.gguf")).toBe("F16");
    expect(quantFromName("model.BF16.gguf")).toBe("BF16");
    expect(quantFromName("model-fp16.gguf")).toBe("F16");
    expect(quantFromName("stories260K.gguf")).toBeNull();
    // A model name with digits is not a quantization.
    expect(quantFromName("Qwen2.5-7B-Instruct.gguf")).toBeNull();
  });
});

describe("groupGgufFiles", () => {
  const files = [
    file("README.md"),
    file("model-Q8_0.gguf", 800),
    file("model-Q4_K_M.gguf", 400),
    file("mmproj-model-f16.gguf", 50),
    file("big/model-F16-00002-of-00003.gguf", 1000),
    file("big/model-F16-00001-of-00003.gguf", 1000),
    file("big/model-F16-00003-of-00003.gguf", 500),
    file("broken-Q2_K-00001-of-00002.gguf", 10),
  ];

  it("keeps GGUF models only, joins split parts in order, drops incomplete splits and projectors, smallest first", () => {
    const groups = groupGgufFiles(files);
    expect(groups.map((g) => [g.key, g.quant, g.totalBytes])).toEqual([
      ["model-Q4_K_M.gguf", "Q4_K_M", 400],
      ["model-Q8_0.gguf", "Q8_0", 800],
      ["big/model-F16-00001-of-00003.gguf", "F16", 2500],
    ]);
    expect(groups[2]!.files.map((f) => f.path)).toEqual([
      "big/model-F16-00001-of-00003.gguf",
      "big/model-F16-00002-of-00003.gguf",
      "big/model-F16-00003-of-00003.gguf",
    ]);
  });

  it("selects by quantization (any case), by path or by file name", () => {
    const groups = groupGgufFiles(files);
    expect(selectGroup(groups, "q8_0")?.key).toBe("model-Q8_0.gguf");
    expect(selectGroup(groups, "model-F16-00002-of-00003.gguf")?.quant).toBe("F16");
    expect(selectGroup(groups, "model-Q4_K_M.gguf")?.quant).toBe("Q4_K_M");
    expect(selectGroup(groups, "Q5_K_M")).toBeNull();
  });
});

describe("fitVerdict", () => {
  const machine = { ramTotalBytes: 16 * GB, ramAvailableBytes: 10 * GB };
  const estimate = { gpu: false, gpuLayers: 0, totalLayers: 33, contextSize: 4096, ramBytes: 5 * GB, vramBytes: 0 };

  it("gives one verdict a machine can act on", () => {
    expect(fitVerdict(estimate, machine)).toMatchObject({ verdict: "cpuOnly", note: expect.stringContaining("about 5 GB of RAM") });
    expect(fitVerdict({ ...estimate, ramBytes: 12 * GB }, machine).note).toMatch(/close other apps/);
    expect(fitVerdict({ ...estimate, ramBytes: 15 * GB }, machine)).toMatchObject({
      verdict: "tooLarge",
      note: expect.stringContaining("this machine has 16 GB"),
    });
    expect(fitVerdict({ ...estimate, gpu: true, gpuLayers: 33, vramBytes: 5 * GB, ramBytes: GB }, machine).verdict).toBe("fullGpu");
    expect(fitVerdict({ ...estimate, gpu: true, gpuLayers: 20, vramBytes: 3 * GB }, machine)).toMatchObject({
      verdict: "partialGpu",
      note: expect.stringMatching(/^20 of 33 layers/),
    });
    expect(fitVerdict({ ...estimate, gpu: true, gpuLayers: 0 }, machine).note).toMatch(/^Too large for the GPU/);
  });
});

describe("recommendGroup", () => {
  const fitOf = (verdict: Fit["verdict"]): Fit => ({ verdict, gpuLayers: 0, totalLayers: 1, contextSize: 4096, ramBytes: 1, vramBytes: 0, note: "" });
  const group = (quant: string, totalBytes: number, verdict: Fit["verdict"] | null) => ({
    key: quant,
    quant,
    totalBytes,
    fit: verdict ? fitOf(verdict) : null,
  });

  it("prefers Q4_K_M on the CPU, the largest quantized file that fits on the GPU, and nothing when nothing fits", () => {
    const cpu = [group("Q2_K", 1, "cpuOnly"), group("Q4_K_M", 4, "cpuOnly"), group("Q8_0", 8, "cpuOnly"), group("F16", 16, "cpuOnly")];
    expect(recommendGroup(cpu)?.quant).toBe("Q4_K_M");
    expect(recommendGroup([group("Q4_K_M", 4, "tooLarge"), group("Q3_K_M", 3, "cpuOnly"), group("Q2_K", 2, "cpuOnly")])?.quant).toBe("Q3_K_M");
    const gpu = [group("Q4_K_M", 4, "fullGpu"), group("Q6_K", 6, "fullGpu"), group("Q8_0", 8, "partialGpu"), group("F16", 16, "fullGpu")];
    expect(recommendGroup(gpu)?.quant).toBe("Q6_K");
    expect(recommendGroup([group("Q4_K_M", 4, "tooLarge"), group("Q8_0", 8, null)])).toBeNull();
    expect(recommendGroup([group("stories", 1, "cpuOnly")])?.quant).toBe("stories");
  });
});

describe("hub addresses", () => {
  it("takes HF_ENDPOINT when set and escapes file paths", () => {
    expect(hubEndpoint({})).toBe("https://huggingface.co");
    expect(hubEndpoint({ HF_ENDPOINT: "http://127.0.0.1:9/" })).toBe("http://127.0.0.1:9");
    expect(fileUrl("https://hub", "o/r", "dir/a b#.gguf")).toBe("https://hub/o/r/resolve/main/dir/a%20b%23.gguf");
    expect(isRepoId("Qwen/Qwen2.5-0.5B-Instruct-GGUF")).toBe(true);
    expect(isRepoId("../etc")).toBe(false);
    expect(isRepoId("a/b/c")).toBe(false);
  });
});
