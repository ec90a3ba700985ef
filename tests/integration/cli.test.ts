import { describe, expect, it } from "vitest";
import fs from "node:fs";
import path from "node:path";
import { chatJsonOutputSchema } from "../../electron/shared/cliSchemas";
import { runCli, spawnCli } from "../support/runCli";
import { tempDir } from "../support/tempDir";
import { testModelPath } from "../support/testModel";

const root = tempDir();
const dataDir = path.join(root, "data");
const fixtures = path.join(root, "fixtures");
fs.mkdirSync(fixtures);
const notGguf = path.join(fixtures, "notes.gguf");
fs.writeFileSync(notGguf, "these are not weights\n".repeat(100));
const truncated = path.join(fixtures, "truncated.gguf");
const full = fs.readFileSync(testModelPath);
fs.writeFileSync(truncated, full.subarray(0, Math.floor(full.length / 2)));

const cli = (...args: string[]) => runCli(args, { dataDir });
const chatArgs = ["chat", "--model", testModelPath, "--threads", "1", "--seed", "1", "--max-tokens", "24"];

/** A clear one-line error: no stack trace, no JSON on stdout. */
function expectCleanError(result: { code: number | null; stdout: string; stderr: string }, code: number, pattern: RegExp) {
  expect(result.code).toBe(code);
  expect(result.stdout).toBe("");
  const lines = result.stderr.trim().split("\n");
  expect(lines.at(-1)).toMatch(pattern);
  expect(result.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
}

describe("hearth chat", () => {
  it("--json prints exactly one object that matches the schema, and stores the turn", async () => {
    const result = await cli(...chatArgs, "--json", "--prompt", "Once upon a time");
    expect(result.code, result.stderr).toBe(0);
    const output = chatJsonOutputSchema.parse(JSON.parse(result.stdout));
    expect(output.text.length).toBeGreaterThan(0);
    expect(output.completionTokens).toBeGreaterThan(0);
    expect(output.tokensPerSecond).toBeGreaterThan(0);
    expect(output.model.path).toBe(testModelPath);

    const shown = await cli("conversations", "show", output.conversationId, "--json");
    const { messages } = JSON.parse(shown.stdout);
    expect(messages.map((m: { content: string }) => m.content)).toEqual(["Once upon a time", output.text]);
  });

  it("streams the reply to stdout and continues a stored conversation", async () => {
    const first = JSON.parse((await cli(...chatArgs, "--json", "--prompt", "Lily saw a bird")).stdout);
    const second = await cli("chat", "--conversation", first.conversationId, "--threads", "1", "--max-tokens", "12", "--prompt", "What did the bird do?");
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout.trim().length).toBeGreaterThan(0);
    expect(second.stderr).toMatch(/tok\/s/);
    const list = JSON.parse((await cli("conversations", "list", "--json")).stdout);
    expect(list.find((c: { id: string }) => c.id === first.conversationId).messageCount).toBe(4);
  });

  it("runs an interactive chat: Ctrl-C stops the reply, a second Ctrl-C quits", async () => {
    const child = spawnCli(["chat", "--model", testModelPath, "--threads", "1", "--max-tokens", "100000", "--temperature", "1"], dataDir);
    let stdout = "";
    let stderr = "";
    child.stderr.on("data", (chunk) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
    const streaming = new Promise<void>((resolve) =>
      child.stdout.on("data", (chunk) => {
        stdout += chunk;
        if (stdout.replace(/^> /, "").trim().length > 20) resolve();
      }),
    );
    child.stdin.write("Once upon a time\n");
    await streaming;
    child.kill("SIGINT");
    await new Promise<void>((resolve) => {
      const check = () => (/aborted/.test(stderr) ? resolve() : setTimeout(check, 50));
      check();
    });
    child.kill("SIGINT");
    expect(await exited).toBe(0);
    expect(stderr).toMatch(/Conversation saved: [0-9a-f-]{36}/);
  });
});

describe("hearth conversations", () => {
  it("exports as Markdown and JSON and deletes", async () => {
    const { conversationId } = JSON.parse((await cli(...chatArgs, "--json", "--prompt", "Export me")).stdout);
    const md = await cli("conversations", "export", conversationId, "--format", "md");
    expect(md.stdout).toMatch(/^# Export me/);
    const out = path.join(root, "export.json");
    expect((await cli("conversations", "export", conversationId, "--format", "json", "--out", out)).code).toBe(0);
    expect(JSON.parse(fs.readFileSync(out, "utf8")).conversation.id).toBe(conversationId);
    expect((await cli("conversations", "rm", conversationId)).code).toBe(0);
    expectCleanError(await cli("conversations", "show", conversationId), 1, /No conversation with id/);
  });
});

describe("limits and local files", () => {
  it("refuses a 5 MB message on stdin before storing anything, and goes on", async () => {
    const dir = path.join(root, "huge-data");
    const huge = `${"Once upon a time there was a cat. ".repeat(150_000)}\n`; // ~5 MB
    const result = await runCli([...chatArgs.filter((a) => a !== "--max-tokens" && a !== "24")], { dataDir: dir, input: `${huge}/exit\n` });
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/hearth: Invalid input for chat.send: text: The message is longer than 1,000,000 characters/);
    expect(JSON.parse((await runCli(["conversations", "list", "--json"], { dataDir: dir })).stdout)).toEqual([]);
  });

  it("export --out into a folder uses the export's name; into a missing folder says so and leaves nothing", async () => {
    const { conversationId } = JSON.parse((await cli(...chatArgs, "--json", "--prompt", "Export me again")).stdout);
    const folder = path.join(root, "exports");
    fs.mkdirSync(folder);
    const intoFolder = await cli("conversations", "export", conversationId, "--format", "md", "--out", folder);
    expect(intoFolder.code).toBe(0);
    const written = fs.readdirSync(folder);
    expect(written).toHaveLength(1);
    expect(written[0]).toMatch(/\.md$/);
    const missing = path.join(root, "no-such-folder", "chat.md");
    expectCleanError(await cli("conversations", "export", conversationId, "--format", "md", "--out", missing), 1, /The folder .*no-such-folder does not exist/);
    expect(fs.existsSync(`${missing}.part`)).toBe(false);
    expect(fs.readdirSync(folder)).toEqual(written);
  });

  it("says when a file is already in the library, and hints at the right fix for a broken local file", async () => {
    const dir = path.join(root, "import-twice");
    const run = (...args: string[]) => runCli(args, { dataDir: dir });
    expect((await run("models", "import", testModelPath)).code).toBe(0);
    const again = await run("models", "import", testModelPath, "--copy");
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/Already in the library as stories260k; nothing was copied/);
    expect(fs.existsSync(path.join(dir, "models"))).toBe(false);
    const broken = await run("models", "import", truncated);
    expect(broken.stderr).toMatch(/truncated/);
    expect(broken.stderr).not.toMatch(/Download the model again/);
    expect(broken.stderr).toMatch(/Pick a complete \.gguf file/);
  });
});

describe("hearth serve", () => {
  it("takes its token from a file (not the process list), and refuses a weak one for remote mode in one line", async () => {
    const tokenFile = path.join(root, "serve-token");
    const strong = "Zq3vN8xLr2Tm7Kp4Wd9Hs6Jc1Fb5Gy0A";
    fs.writeFileSync(tokenFile, `${strong}\n`, { mode: 0o600 });
    const child = spawnCli(["serve", "--port", "0", "--token-file", tokenFile], dataDir);
    child.stderr.resume();
    const url = await new Promise<string>((resolve, reject) => {
      let out = "";
      child.stdout.on("data", (chunk) => {
        out += chunk;
        const match = /Hearth UI: (\S+)/.exec(out);
        if (match) resolve(match[1]!);
      });
      child.once("exit", (code) => reject(new Error(`serve exited with ${code}`)));
    });
    expect(new URL(url).searchParams.get("token")).toBe(strong);
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    await exited;

    const weak = await cli("serve", "--host", "0.0.0.0", "--allow-remote", "--insecure-http", "--token", "a", "--port", "0");
    expect(weak.code).toBe(2);
    expect(weak.stderr).toMatch(/--token is visible to other users/);
    expect(weak.stderr.trim().split("\n").at(-1)).toMatch(/^hearth: The --token is too weak for remote mode/);
    const plain = await cli("serve", "--host", "0.0.0.0", "--allow-remote", "--port", "0");
    expect(plain.code).toBe(2);
    expect(plain.stderr).toMatch(/Remote mode needs TLS/);
  });
});

describe("hearth models", () => {
  it("imports, lists with metadata, shows info and removes a model", async () => {
    const dir = path.join(root, "models-data");
    const run = (...args: string[]) => runCli(args, { dataDir: dir });
    const imported = JSON.parse((await run("models", "import", testModelPath, "--copy", "--json")).stdout);
    expect(imported).toMatchObject({ architecture: "llama", contextLength: 2048, hasChatTemplate: false, storage: "copied" });
    expect(imported.path.startsWith(path.join(dir, "models"))).toBe(true);
    const list = JSON.parse((await run("models", "list", "--json")).stdout);
    expect(list.map((m: { id: string }) => m.id)).toEqual([imported.id]);
    expect(list[0].parameterCount).toBeGreaterThan(200_000);
    const info = await run("models", "info", imported.id);
    expect(info.stdout).toMatch(/architecture\s+llama/);
    expect((await run("models", "rm", imported.id)).code).toBe(0);
    expect(fs.existsSync(imported.path)).toBe(false);
    expect(JSON.parse((await run("models", "list", "--json")).stdout)).toEqual([]);
  });
});

describe("bad input gets a clear error and leaves the data dir intact", () => {
  it.each([
    ["a missing file", [...chatArgs, "--model", path.join(fixtures, "missing.gguf"), "--prompt", "hi"], 1, /not found|no such file/i],
    ["a non-GGUF file", ["models", "import", notGguf], 1, /Not a GGUF model file/],
    ["a truncated GGUF", ["chat", "--model", truncated, "--prompt", "hi"], 1, /truncated/],
    ["an unknown model id", ["chat", "--model", "no-such-model", "--prompt", "hi"], 1, /No model with id no-such-model/],
    ["an unknown conversation id", ["chat", "--conversation", "nope", "--prompt", "hi"], 1, /No conversation with id nope/],
    ["an invalid option value", [...chatArgs, "--temperature", "hot", "--prompt", "hi"], 2, /temperature.*invalid|Expected a number/],
    ["an invalid GPU layers value", [...chatArgs, "--gpu", "lots", "--prompt", "hi"], 2, /auto, off, or a number/],
    ["an empty prompt", [...chatArgs, "--prompt", "  "], 2, /prompt is empty/],
    ["a context larger than the model supports", [...chatArgs, "--ctx", "4096", "--prompt", "hi"], 2, /larger than .* supports \(2048/],
    ["--json without --prompt", [...chatArgs, "--json"], 2, /--json needs --prompt/],
    ["an unknown command", ["frobnicate"], 2, /unknown command/],
  ])("%s", async (_what, args, code, pattern) => {
    const before = fs.existsSync(dataDir) ? JSON.parse((await cli("conversations", "list", "--json")).stdout).length : 0;
    expectCleanError(await cli(...(args as string[])), code as number, pattern as RegExp);
    // Nothing half-written: no new conversation, no partial model, and the database still opens.
    const after = JSON.parse((await cli("conversations", "list", "--json")).stdout);
    expect(after.length).toBe(before);
    const models = JSON.parse((await cli("models", "list", "--json")).stdout);
    expect(models.every((m: { path: string }) => !m.path.startsWith(fixtures))).toBe(true);
  });

  it("prints help with an example for every command", async () => {
    for (const command of [["chat"], ["conversations", "list"], ["conversations", "export"], ["models", "import"], ["models", "info"]]) {
      const result = await cli(...command, "--help");
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/Example/);
    }
  });
});
