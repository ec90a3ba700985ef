/**
 * Runs the fake hub in a process of its own (benchmarks, trying Hearth by hand):
 *   node --import tsx tests/support/fakeHubServer.mts owner/name=/path/to/file.gguf [...] [--port N] [--throttle BYTES_PER_S] [--in-memory]
 * Prints the address on its first line; stops on SIGTERM or SIGINT.
 */
import path from "node:path";
import { startFakeHub, type FakeRepo } from "./fakeHub";

const args = process.argv.slice(2);
const option = (name: string) => {
  const at = args.indexOf(name);
  return at === -1 ? undefined : args.splice(at, 2)[1];
};
const port = Number(option("--port") ?? 0);
const throttle = option("--throttle");
const inMemory = args.indexOf("--in-memory");
if (inMemory !== -1) args.splice(inMemory, 1);
const repos = new Map<string, FakeRepo>();
for (const spec of args) {
  const [id, file] = spec.split("=");
  if (!id || !file) throw new Error(`Expected owner/name=/path/to/file.gguf, got ${spec}`);
  const repo = repos.get(id) ?? { id, files: [], downloads: 1000 };
  repo.files.push({ path: path.basename(file), source: path.resolve(file) });
  repos.set(id, repo);
}
const hub = await startFakeHub([...repos.values()], { port, holdInMemory: inMemory !== -1 });
if (throttle) hub.faults.throttleBytesPerSecond = Number(throttle);
process.stdout.write(`${hub.url}\n`);
const stop = () => void hub.close().then(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
