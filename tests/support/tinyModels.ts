import fs from "node:fs";
import path from "node:path";
import { readGgufFileInfo } from "node-llama-cpp";
import { seededRandom } from "./seededRandom";
import { testModelPath } from "./testModel";

/**
 * A tiny Qwen3-architecture reranker GGUF (random weights, stories260K's vocabulary), written for
 * tests: no real reranker can be downloaded here, and llama.cpp ranks with any model of this
 * shape (a `cls.output` head and rank pooling). Its scores mean nothing, but they are the model's:
 * the path from the app to llama.cpp's ranking runs for real.
 */
export function writeRerankerModel(file: string, seed = 7): Promise<string> {
  return writeTinyQwen3(file, "reranker", seed);
}

/**
 * A tiny generative model that writes no text: its final norm is zero, so every token is equally
 * likely and greedy decoding picks token 0 (`<unk>`) each time, which renders as nothing (as the
 * control and partial-character tokens of a synthetic model do). For timing a reply without text.
 */
export function writeSilentModel(file: string): Promise<string> {
  return writeTinyQwen3(file, "silent", 11);
}

/**
 * The silent model with token 0 swapped for the byte 0x80 (a UTF-8 continuation byte alone): it
 * writes that byte each time, which is no character, so node-llama-cpp holds every token back as
 * part of a character still to come and no text callback sees it (as with a synthetic model's
 * stray bytes). For timing a reply whose tokens reach no text callback until it ends.
 */
export function writeStrayByteModel(file: string): Promise<string> {
  return writeTinyQwen3(file, "strayBytes", 11);
}

async function writeTinyQwen3(file: string, kind: "reranker" | "silent" | "strayBytes", seed: number): Promise<string> {
  const vocab = (await readGgufFileInfo(testModelPath)).metadata.tokenizer.ggml as unknown as {
    model: string;
    tokens: string[];
    scores: number[];
    token_type: number[];
    bos_token_id: number;
    eos_token_id: number;
    unknown_token_id: number;
    seperator_token_id?: number;
  };
  const shape = { embd: 64, layers: 2, ff: 128, heads: 4, kvHeads: 2 };
  const headDim = shape.embd / shape.heads;
  const kv = (headDim * shape.kvHeads) as number;
  const nVocab = vocab.tokens.length;
  if (kind === "strayBytes") swapTokens(vocab, 0, vocab.tokens.indexOf("<0x80>"));

  const meta: [string, Value][] = [
    ["general.architecture", str("qwen3")],
    ["general.name", str(kind === "reranker" ? "Hearth test reranker" : `Hearth test ${kind === "silent" ? "silent" : "stray-byte"} model`)],
    ["qwen3.context_length", u32(512)],
    ["qwen3.embedding_length", u32(shape.embd)],
    ["qwen3.block_count", u32(shape.layers)],
    ["qwen3.feed_forward_length", u32(shape.ff)],
    ["qwen3.attention.head_count", u32(shape.heads)],
    ["qwen3.attention.head_count_kv", u32(shape.kvHeads)],
    ["qwen3.attention.layer_norm_rms_epsilon", f32(1e-6)],
    ["qwen3.rope.freq_base", f32(10000)],
    // Rank pooling, two labels (as Qwen3-Reranker's "yes" / "no"): the score is the first's share.
    ...(kind === "reranker"
      ? ([
          ["qwen3.pooling_type", u32(4)],
          ["qwen3.classifier.output_labels", strs(["yes", "no"])],
        ] as [string, Value][])
      : []),
    ["tokenizer.ggml.model", str(vocab.model)],
    ["tokenizer.ggml.tokens", strs(vocab.tokens)],
    ["tokenizer.ggml.scores", f32s(vocab.scores)],
    ["tokenizer.ggml.token_type", i32s(vocab.token_type)],
    ["tokenizer.ggml.bos_token_id", u32(vocab.bos_token_id)],
    ["tokenizer.ggml.eos_token_id", u32(vocab.eos_token_id)],
    ["tokenizer.ggml.unknown_token_id", u32(vocab.unknown_token_id)],
  ];

  const random = seededRandom(seed);
  const weights = (n: number, scale: number) => Float32Array.from({ length: n }, () => (random() * 2 - 1) * scale);
  const ones = (n: number) => new Float32Array(n).fill(1);
  const tensors: { name: string; dims: number[]; data: Float32Array }[] = [
    { name: "token_embd.weight", dims: [shape.embd, nVocab], data: weights(shape.embd * nVocab, 0.5) },
    { name: "output_norm.weight", dims: [shape.embd], data: kind === "reranker" ? ones(shape.embd) : new Float32Array(shape.embd) },
    ...(kind === "reranker" ? [{ name: "cls.output.weight", dims: [shape.embd, 2], data: weights(shape.embd * 2, 0.02) }] : []),
  ];
  for (let i = 0; i < shape.layers; i++) {
    const w = (name: string, dims: number[], data: Float32Array) => tensors.push({ name: `blk.${i}.${name}.weight`, dims, data });
    const s = 1 / Math.sqrt(shape.embd);
    w("attn_norm", [shape.embd], ones(shape.embd));
    w("attn_q", [shape.embd, shape.embd], weights(shape.embd * shape.embd, s));
    w("attn_k", [shape.embd, kv], weights(shape.embd * kv, s));
    w("attn_v", [shape.embd, kv], weights(shape.embd * kv, s));
    w("attn_output", [shape.embd, shape.embd], weights(shape.embd * shape.embd, s));
    w("attn_q_norm", [headDim], ones(headDim));
    w("attn_k_norm", [headDim], ones(headDim));
    w("ffn_norm", [shape.embd], ones(shape.embd));
    w("ffn_gate", [shape.embd, shape.ff], weights(shape.embd * shape.ff, s));
    w("ffn_up", [shape.embd, shape.ff], weights(shape.embd * shape.ff, s));
    w("ffn_down", [shape.ff, shape.embd], weights(shape.ff * shape.embd, 1 / Math.sqrt(shape.ff)));
  }

  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, ggufBytes(meta, tensors));
  return file;
}

/** Swaps two tokens of a vocabulary, with the special token ids that name them. */
function swapTokens(
  vocab: { tokens: string[]; scores: number[]; token_type: number[] } & Record<`${string}_token_id`, number | undefined>,
  a: number,
  b: number,
): void {
  if (b < 0) throw new Error("the vocabulary has no such token");
  for (const list of [vocab.tokens, vocab.scores, vocab.token_type] as unknown[][]) [list[a], list[b]] = [list[b], list[a]];
  for (const key of Object.keys(vocab).filter((k) => k.endsWith("_token_id")) as `${string}_token_id`[]) {
    if (vocab[key] === a) vocab[key] = b;
    else if (vocab[key] === b) vocab[key] = a;
  }
}

// ---------- a GGUF v3 writer: just what the file above needs ----------

type Value = { type: number; write(out: Writer): void };
const T = { U32: 4, I32: 5, F32: 6, STR: 8, ARR: 9 } as const;
const ALIGN = 32;

class Writer {
  private chunks: Buffer[] = [];
  length = 0;
  push(buffer: Buffer): void {
    this.chunks.push(buffer);
    this.length += buffer.length;
  }
  u32(v: number): void {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(v);
    this.push(b);
  }
  u64(v: number): void {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt(v));
    this.push(b);
  }
  string(text: string): void {
    const bytes = Buffer.from(text, "utf8");
    this.u64(bytes.length);
    this.push(bytes);
  }
  pad(): void {
    const rest = (ALIGN - (this.length % ALIGN)) % ALIGN;
    if (rest) this.push(Buffer.alloc(rest));
  }
  bytes(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

const str = (text: string): Value => ({ type: T.STR, write: (o) => o.string(text) });
const u32 = (v: number): Value => ({ type: T.U32, write: (o) => o.u32(v) });
const f32 = (v: number): Value => ({ type: T.F32, write: (o) => o.push(Buffer.from(Float32Array.of(v).buffer)) });
const array = (itemType: number, count: number, writeItems: (o: Writer) => void): Value => ({
  type: T.ARR,
  write: (o) => {
    o.u32(itemType);
    o.u64(count);
    writeItems(o);
  },
});
const strs = (items: string[]) =>
  array(T.STR, items.length, (o) => {
    for (const item of items) o.string(item);
  });
const f32s = (items: number[]) => array(T.F32, items.length, (o) => o.push(Buffer.from(Float32Array.from(items).buffer)));
const i32s = (items: number[]) => array(T.I32, items.length, (o) => o.push(Buffer.from(Int32Array.from(items).buffer)));

function ggufBytes(meta: [string, Value][], tensors: { name: string; dims: number[]; data: Float32Array }[]): Buffer {
  const out = new Writer();
  out.push(Buffer.from("GGUF"));
  out.u32(3);
  out.u64(tensors.length);
  out.u64(meta.length);
  for (const [key, value] of meta) {
    out.string(key);
    out.u32(value.type);
    value.write(out);
  }
  let offset = 0;
  for (const tensor of tensors) {
    out.string(tensor.name);
    out.u32(tensor.dims.length);
    for (const dim of tensor.dims) out.u64(dim);
    out.u32(0); // F32
    out.u64(offset);
    offset += Math.ceil(tensor.data.byteLength / ALIGN) * ALIGN;
  }
  out.pad();
  for (const tensor of tensors) {
    out.push(Buffer.from(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength));
    out.pad();
  }
  return out.bytes();
}
