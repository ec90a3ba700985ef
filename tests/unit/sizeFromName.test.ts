import { describe, expect, it } from "vitest";
import { estimateFromName, parametersFromName, quantsOf } from "../../electron/core/hub/sizeFromName";

const GiB = 1024 ** 3;

describe("what a search result's name says about its size", () => {
  it("reads the parameters a repository names, the largest when it names several", () => {
    expect(parametersFromName("Qwen2.5-7B-Instruct-GGUF")).toBe(7e9);
    expect(parametersFromName("Llama-3.2-1B-Instruct-GGUF")).toBe(1e9);
    expect(parametersFromName("SmolLM2-135M-Instruct-GGUF")).toBe(135e6);
    expect(parametersFromName("Mixtral-8x7B-v0.1-GGUF")).toBe(56e9);
    expect(parametersFromName("stories260K-GGUF")).toBe(260e3);
    expect(parametersFromName("phi-4-GGUF")).toBeNull();
  });

  it("lists the quantizations its GGUF files offer, smallest first, without projectors or other files", () => {
    expect(quantsOf(["README.md", "m-Q8_0.gguf", "m-Q4_K_M.gguf", "sub/m-Q2_K.gguf", "mmproj-m-F16.gguf", "m-Q4_K_M-00001-of-00002.gguf"])).toEqual([
      "Q2_K",
      "Q4_K_M",
      "Q8_0",
    ]);
  });

  it("sizes the range and judges the usual quantization against this machine", () => {
    const laptop = { ramTotalBytes: 16 * GiB, ramAvailableBytes: 8 * GiB, vramBytes: null };
    const seven = estimateFromName("bartowski/Qwen2.5-7B-Instruct-GGUF", ["Q2_K", "Q4_K_M", "Q8_0"], laptop);
    expect(seven.sizeRange!.min).toBeCloseTo((7e9 * 2.7) / 8, -6);
    expect(seven.sizeRange!.max).toBeCloseTo((7e9 * 8.5) / 8, -6);
    expect(seven.fit).toMatchObject({ verdict: "cpuOnly", note: expect.stringContaining("4.8 bits") });
    expect(estimateFromName("x/Llama-70B-GGUF", ["Q4_K_M"], laptop).fit?.verdict).toBe("tooLarge");
    expect(estimateFromName("x/Llama-1B-GGUF", ["Q4_K_M"], { ...laptop, vramBytes: 8 * GiB }).fit?.verdict).toBe("fullGpu");
    expect(estimateFromName("x/Llama-13B-GGUF", ["Q4_K_M"], { ...laptop, vramBytes: 4 * GiB }).fit?.verdict).toBe("partialGpu");
    expect(estimateFromName("x/phi-4-GGUF", ["Q4_K_M"], laptop)).toEqual({ sizeRange: null, fit: null });
  });
});
