import { spawn, type ChildProcessByStdio } from "node:child_process";
import type { Readable, Writable } from "node:stream";
import readline from "node:readline";

/**
 * A benchmark side kept running in its own process (it speaks turnProtocol.mjs): it warms up, then
 * runs one measured turn each time it is asked.
 */
export class TurnTaker<T> {
  private readonly lines: AsyncIterator<string>;
  /** The first warm-up turn: a first reply after load, before the process reached its pace. */
  firstTurn!: T;

  private constructor(private readonly child: ChildProcessByStdio<Writable, Readable, null>) {
    this.lines = readline.createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  }

  static async start<T>(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<TurnTaker<T>> {
    const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ["pipe", "pipe", "inherit"] });
    const taker = new TurnTaker<T>(child);
    const ready = await taker.expect((line) => line.startsWith("ready "));
    taker.firstTurn = JSON.parse(ready.slice("ready ".length)) as T;
    return taker;
  }

  async turn(): Promise<T> {
    this.child.stdin.write("turn\n");
    return JSON.parse(await this.expect((line) => line.startsWith("{"))) as T;
  }

  async stop(): Promise<void> {
    const exited = new Promise((resolve) => this.child.once("exit", resolve));
    this.child.stdin.end();
    await exited;
  }

  private async expect(matches: (line: string) => boolean): Promise<string> {
    for (;;) {
      const next = await this.lines.next();
      if (next.done) throw new Error("the benchmark process ended early");
      if (matches(next.value.trim())) return next.value.trim();
    }
  }
}
