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
import { spawn } from 'node:child_process';
import { constants } from 'node:os';

const GLIBC_MALLOC_SETTINGS: Record<string, string> = {
  MALLOC_ARENA_MAX: '2',
  MALLOC_TRIM_THRESHOLD_: String(4 * 1024 * 1024),
  MALLOC_TOP_PAD_: '0',
};

/** `env` with the engine's allocator settings added; a value the user set is kept. */
export function withEngineAllocator(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { ...GLIBC_MALLOC_SETTINGS, ...env };
}

/** Set in the environment of a process started by `rerunWithEngineAllocator`. */
const RERUN_MARK = 'OCR_DESK_ALLOCATOR_RERUN';

/**
 * For a program that runs the engine in its own process (browser mode's server): when the
 * allocator settings are missing on Linux, runs the same script again in a child that has
 * them, and returns true; the child is then the program. Its exit status becomes ours, Ctrl-C
 * and SIGTERM reach it, and it stops if we are killed (see `stopWithParent`).
 */
export function rerunWithEngineAllocator(): boolean {
  if (process.platform !== 'linux' || process.env[RERUN_MARK] !== undefined) return false;
  const missing = Object.keys(GLIBC_MALLOC_SETTINGS).some(
    (name) => process.env[name] === undefined,
  );
  if (!missing) return false;
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    env: { ...withEngineAllocator(), [RERUN_MARK]: '1' },
    stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => child.kill(signal));
  }
  child.on('exit', (code, signal) => {
    process.exit(code ?? 128 + (signal ? constants.signals[signal] : 0));
  });
  return true;
}

/** In a process started by `rerunWithEngineAllocator`: calls `stop` once its parent is gone. */
export function stopWithParent(stop: () => void): void {
  if (process.env[RERUN_MARK] === undefined || !process.connected) return;
  process.on('disconnect', stop);
  // The channel is only a lifeline: it must not keep the process alive by itself.
  process.channel?.unref();
}
