import fs from "node:fs";
import path from "node:path";
import { getLlama } from "node-llama-cpp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCore, type Core } from "../../electron/core/createCore";
import { makeDocumentFixtures } from "../support/documentFixtures";
import { writeRerankerModel } from "../support/tinyModels";
import { runCli } from "../support/runCli";
import { tempDir } from "../support/tempDir";
import { testModelPath } from "../support/testModel";

const root = tempDir("hearth-rerank-");
const dataDir = path.join(root, "data");
let core: Core;
let embedderId: string;
let rerankerId: string;
let rerankerFile: string;
let collectionId: string;
const QUESTION = "When does the lease renew?";

beforeAll(async () => {
  await makeDocumentFixtures(path.join(root, "docs"));
  rerankerFile = await writeRerankerModel(path.join(root, "tiny-reranker.gguf"));
  core = createCore({ dataDir, backend: "cpu", keychain: null });
  embedderId = (await core.library.import(testModelPath, "reference")).id;
  rerankerId = (await core.library.import(rerankerFile, "reference")).id;
  collectionId = core.documents.createCollection("Contracts").id;
  await core.indexer.add(collectionId, [path.join(root, "docs")], { modelId: embedderId });
}, 120_000);

afterAll(async () => {
  await core.close();
});

describe("reranking a collection's searches", () => {
  it("refuses a model without a ranking head, in words, and changes nothing", async () => {
    await expect(core.indexer.setReranker(collectionId, embedderId)).rejects.toMatchObject({
      code: "INVALID_INPUT",
      message: expect.stringContaining("cannot rerank"),
    });
    expect(core.documents.collection(collectionId).rerankerModelId).toBeNull();
  });

  it("orders the hybrid search's best candidates by the reranker's own scores, and can be turned off", async () => {
    const plain = await core.indexer.search(collectionId, QUESTION, { limit: 15 });
    expect(plain.every((p) => p.rerankScore === undefined)).toBe(true);

    expect(await core.indexer.setReranker(collectionId, rerankerId)).toMatchObject({ rerankerModelId: rerankerId, rerankerModelName: "tiny-reranker" });
    const reranked = await core.indexer.search(collectionId, QUESTION, { limit: 5 });
    expect(reranked).toHaveLength(5);
    const scores = reranked.map((p) => p.rerankScore!);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(scores.every((s) => s > 0 && s < 1)).toBe(true);
    // Every passage shown was a hybrid candidate, and the scores are llama.cpp's for that model.
    expect(reranked.every((p) => plain.some((c) => c.chunkId === p.chunkId))).toBe(true);
    const llama = await getLlama({ gpu: false });
    const model = await llama.loadModel({ modelPath: rerankerFile });
    const direct = await (await model.createRankingContext({ contextSize: 1024 })).rankAll(
      QUESTION,
      reranked.map((p) => p.text),
    );
    for (const [i, score] of direct.entries()) expect(scores[i]).toBeCloseTo(score, 4);
    await model.dispose();

    // Kept with the collection; off again, the hybrid order is back.
    expect(core.documents.collection(collectionId).rerankerModelId).toBe(rerankerId);
    await core.indexer.setReranker(collectionId, null);
    expect((await core.indexer.search(collectionId, QUESTION, { limit: 5 })).map((p) => p.chunkId)).toEqual(plain.slice(0, 5).map((p) => p.chunkId));
  }, 60_000);

  it("hearth docs rerank sets it, and search shows the reranker's scores", async () => {
    await core.close();
    const set = await runCli(["docs", "rerank", "Contracts", rerankerId], { dataDir });
    expect(set.code).toBe(0);
    expect(set.stderr).toContain('"Contracts" is reranked with tiny-reranker.');
    const search = await runCli(["docs", "search", "Contracts", QUESTION, "--json"], { dataDir });
    expect(search.code).toBe(0);
    const passages = JSON.parse(search.stdout) as { rerankScore: number }[];
    expect(passages.length).toBeGreaterThan(0);
    expect(passages.every((p) => typeof p.rerankScore === "number")).toBe(true);
    const off = await runCli(["docs", "rerank", "Contracts", "--off"], { dataDir });
    expect(off.stderr).toContain("without a reranker");
    expect(fs.existsSync(rerankerFile)).toBe(true);
    core = createCore({ dataDir, backend: "cpu", keychain: null });
  }, 60_000);
});
