/**
 * The engine process's environment. On Linux, glibc's malloc is asked to back its large blocks
 * with transparent huge pages (`glibc.malloc.hugetlb=1`: madvise, not reserved hugetlbfs pages).
 * Most distributions enable THP only on request ("madvise"), and llama.cpp's weight, KV cache and
 * compute buffers are plain mallocs, so without it every weight read walks 4 KiB pages (~4% of
 * generation on a 1B model: docs/PERFORMANCE.md). Weights mapped from the file stay in the page
 * cache, where this changes nothing. Tunables are read when a process starts, so they go in at spawn.
 * Only the Node engine (CLI, browser mode, tests) gets it: in Electron's utilityProcess, Chromium's
 * allocator shim serves a native addon's malloc (PartitionAlloc), so glibc's tunable is moot there.
 */
export function engineEnv(base: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): NodeJS.ProcessEnv {
  if (platform !== "linux") return { ...base };
  const tunables = base.GLIBC_TUNABLES ?? "";
  // Whoever set the tunable themselves (to 0, or to 2 for reserved pages) keeps their choice.
  if (/(^|:)glibc\.malloc\.hugetlb=/.test(tunables)) return { ...base };
  return { ...base, GLIBC_TUNABLES: tunables ? `${tunables}:glibc.malloc.hugetlb=1` : "glibc.malloc.hugetlb=1" };
}
