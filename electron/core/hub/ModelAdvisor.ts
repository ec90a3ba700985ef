import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { HearthError } from "../../shared/errors";
import type { HubModel, QuantGroup, RepoFiles } from "../../shared/modelHub";
import { estimateFromName } from "./sizeFromName";
import type { HardwareService } from "../hardware/HardwareService";
import { availableRamBytes } from "../hardware/memory";
import type { Outbound } from "../network/Outbound";
import { fetchGgufHeader } from "./fetchGgufHeader";
import { fitVerdict, recommendGroup } from "./fitVerdict";
import { groupGgufFiles, selectGroup, type FileGroup } from "./groupGgufFiles";
import type { HubClient } from "./HubClient";

const PARALLEL_HEADERS = 3;

/**
 * A repo's models as the user chooses among them: GGUF files grouped by quantization (split
 * parts as one), each with its memory estimate and verdict for this machine, computed from its
 * header read remotely, and one recommended.
 */
export class ModelAdvisor {
  constructor(
    private readonly hub: HubClient,
    private readonly outbound: Outbound,
    private readonly hardware: HardwareService,
    /** Headers already read, so opening a repo again costs no requests. */
    private readonly headerCacheDir: string,
    /** The library model a group already is, if any. */
    private readonly inLibrary: (repo: string, files: FileGroup["files"]) => string | null = () => null,
  ) {}

  /** Hub search results, each with its size range and a first verdict from the parameters its name announces. */
  async search(options: Parameters<HubClient["search"]>[0]): Promise<HubModel[]> {
    const found = await this.hub.search(options);
    const hardware = await this.hardware.info();
    const machine = { ramTotalBytes: hardware.ram.totalBytes, ramAvailableBytes: availableRamBytes(), vramBytes: hardware.vram?.totalBytes ?? null };
    return found.map((model) => ({ ...model, ...estimateFromName(model.repo, model.quants, machine) }));
  }

  async repoFiles(repo: string, contextSize: number): Promise<RepoFiles> {
    return { repo, contextSize, groups: await this.advise(repo, await this.listGroups(repo), contextSize) };
  }

  /** Each group with its fit verdict at `contextSize`, and the recommended one marked. */
  private async advise(repo: string, groups: FileGroup[], contextSize: number): Promise<QuantGroup[]> {
    const hardware = await this.hardware.info();
    const machine = { ramTotalBytes: hardware.ram.totalBytes, ramAvailableBytes: availableRamBytes() };
    const withFit: QuantGroup[] = new Array(groups.length);
    let next = 0;
    const worker = async () => {
      while (next < groups.length) {
        const index = next++;
        const group = groups[index]!;
        try {
          const estimate = await this.hardware.estimateFit({ path: await this.localHeader(repo, group), contextSize });
          const fit = fitVerdict(estimate, machine);
          // Estimated at the model's own limit when the chosen context is larger: say so.
          if (estimate.contextSize < contextSize) fit.note += ` This model takes at most ${estimate.contextSize.toLocaleString("en-US")} tokens of context.`;
          withFit[index] = { ...group, fit, fitError: null, recommended: false, inLibrary: this.inLibrary(repo, group.files) };
        } catch (error) {
          if (error instanceof HearthError && error.code === "OFFLINE") throw error;
          withFit[index] = {
            ...group,
            fit: null,
            fitError: error instanceof Error ? error.message : String(error),
            recommended: false,
            inLibrary: this.inLibrary(repo, group.files),
          };
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(PARALLEL_HEADERS, groups.length) }, worker));
    const recommended = recommendGroup(withFit);
    return withFit.map((g) => ({ ...g, recommended: g === recommended }));
  }

  private async listGroups(repo: string): Promise<FileGroup[]> {
    const groups = groupGgufFiles(await this.hub.listFiles(repo));
    if (groups.length === 0)
      throw new HearthError("HUB_NOT_FOUND", `${repo} has no GGUF model files.`, { suggestion: "Search for a repository with GGUF in its name." });
    return groups;
  }

  /**
   * The model a `REPO[:SELECTOR]` names: the one the selector picks (a quantization or a file),
   * the only one, or else the one recommended for this machine (`advice` says why).
   */
  async choose(repo: string, selector: string | null, contextSize: number): Promise<{ group: FileGroup; advice: string | null }> {
    const groups = await this.listGroups(repo);
    if (selector) {
      const group = selectGroup(groups, selector);
      if (!group)
        throw new HearthError("HUB_NOT_FOUND", `${repo} has no model "${selector}".`, { suggestion: `Available: ${groups.map((g) => g.quant).join(", ")}.` });
      return { group, advice: null };
    }
    if (groups.length === 1) return { group: groups[0]!, advice: null };
    // The file list just read serves the advice too: no second request.
    const pick = (await this.advise(repo, groups, contextSize)).find((g) => g.recommended);
    if (!pick) {
      throw new HearthError("OUT_OF_MEMORY", `None of the models in ${repo} fits this machine at ${contextSize} tokens of context.`, {
        suggestion: "Try a smaller model or a smaller context.",
      });
    }
    return { group: pick, advice: `Recommended for this machine: ${pick.quant}. ${pick.fit?.note ?? ""}`.trim() };
  }

  /** The header of each file of a group, copied locally under the file's own name (split parts side by side). */
  private async localHeader(repo: string, group: FileGroup): Promise<string> {
    const id = createHash("sha256")
      .update(`${repo}\n${group.files.map((f) => `${f.path}:${f.size}:${f.sha256 ?? ""}`).join("\n")}`)
      .digest("hex")
      .slice(0, 24);
    const dir = path.join(this.headerCacheDir, id);
    for (const file of group.files) {
      const dest = path.join(dir, path.basename(file.path));
      const cached = await fs.stat(dest).then(
        () => true,
        () => false,
      );
      if (!cached) {
        const partial = `${dest}.part`;
        await fetchGgufHeader(this.outbound, this.hub.fileUrl(repo, file.path), this.hub.authHeaders(), file.size, partial);
        await fs.rename(partial, dest);
      }
    }
    return path.join(dir, path.basename(group.files[0]!.path));
  }
}
