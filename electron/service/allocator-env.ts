/**
 * glibc malloc settings for the processes that run the engine (the service, and the benchmark's
 * engine runner). They must be in the environment when the process starts: glibc reads them
 * once, before any JavaScript runs.
 *
 * By default glibc gives each thread that allocates its own arena (up to 8 per core), and freed
 * memory stays in them; onnxruntime's worker threads and libvips' threads then hold hundreds of
 * MB they no longer use. Measured on the corpus (two documents at once, 2 cores): peak RSS
 * 918 MB with the defaults, 717 MB with two arenas, 645 MB when large blocks also go back to
 * the system once freed (a fixed trim threshold, no top padding), at the same CPU time. Other
 * C libraries ignore these variables.
 */
const GLIBC_MALLOC_SETTINGS: Record<string, string> = {
  MALLOC_ARENA_MAX: '2',
  MALLOC_TRIM_THRESHOLD_: String(4 * 1024 * 1024),
  MALLOC_TOP_PAD_: '0',
};

/** `env` with the engine's allocator settings added; a value the user set is kept. */
export function withEngineAllocator(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { ...GLIBC_MALLOC_SETTINGS, ...env };
}
