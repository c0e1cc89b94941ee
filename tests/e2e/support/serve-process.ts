// Starts browser mode (`serve.ts`) as a child process on a fresh data folder, as a user would,
// and reads the URL from the first line of its stdout.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { CORPUS_DIR } from '../../support/corpus-dir';

export const repoRoot = join(import.meta.dirname, '..', '..', '..');
export const corpusDir = CORPUS_DIR;

export interface ServeProcess {
  url: string;
  origin: string;
  port: number;
  token: string;
  dataDir: string;
  child: ChildProcess;
  /** Everything the process wrote to stdout after the URL, and to stderr. */
  output: () => string;
  stop(): Promise<void>;
}

let rendererBuilt = false;

/** Builds the renderer once per test process (the server serves dist/renderer). */
export async function buildRenderer(): Promise<void> {
  if (rendererBuilt) return;
  const { buildTargets } = (await import(join(repoRoot, 'scripts', 'build.mjs'))) as {
    buildTargets: (names: string[]) => Promise<void>;
  };
  await buildTargets(['renderer']);
  rendererBuilt = true;
}

export async function startServe(extraArgs: string[] = []): Promise<ServeProcess> {
  await buildRenderer();
  const dataDir = mkdtempSync(join(tmpdir(), 'ocr-desk-serve-'));
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      join(repoRoot, 'electron/service/server/serve.ts'),
      '--data-dir',
      dataDir,
      ...extraArgs,
    ],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));

  const lines = createInterface({ input: child.stdout! });
  const firstLine = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`serve printed no URL in 60 s:\n${output}`)),
      60_000,
    );
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}:\n${output}`)));
    lines.once('line', (line) => {
      clearTimeout(timer);
      resolve(line);
    });
  });
  lines.on('line', (line) => (output += `${line}\n`));

  const url = new URL(firstLine);
  return {
    url: firstLine,
    origin: url.origin,
    port: Number(url.port),
    token: url.searchParams.get('token') ?? '',
    dataDir,
    child,
    output: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Where the end-to-end tests put their screenshots: docs/screenshots (the README's pictures)
 * when run by `npm run screenshots`, else tests/.artifacts/screenshots, so that a test run
 * leaves the working tree as it found it.
 */
export function screenshotDir(): string {
  const dir =
    process.env.OCR_DESK_SCREENSHOTS === 'docs'
      ? join(repoRoot, 'docs', 'screenshots')
      : join(repoRoot, 'tests', '.artifacts', 'screenshots');
  mkdirSync(dir, { recursive: true });
  return dir;
}
