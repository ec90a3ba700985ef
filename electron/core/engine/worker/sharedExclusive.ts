/**
 * Orders the engine's native work: replies on different sequences of one context run side by side
 * (their decodes are batched by node-llama-cpp), while anything that changes or borrows the whole
 * model (load, unload, bench, embeddings) waits for them and holds back what comes after it.
 * First come, first served: a shared job that arrives after an exclusive one waits for it.
 */
export function createSharedExclusive() {
  let lastExclusive: Promise<unknown> = Promise.resolve();
  let sharedSinceLast = new Set<Promise<unknown>>();

  return {
    shared<T>(job: () => Promise<T>): Promise<T> {
      const run = lastExclusive.then(job);
      const settled = run.catch(() => undefined);
      const group = sharedSinceLast;
      group.add(settled);
      void settled.then(() => group.delete(settled));
      return run;
    },
    exclusive<T>(job: () => Promise<T>): Promise<T> {
      const before = Promise.all([lastExclusive, ...sharedSinceLast]);
      const run = before.then(job);
      lastExclusive = run.catch(() => undefined);
      sharedSinceLast = new Set();
      return run;
    },
  };
}
