// Child process: Tesseract 5 as a user would tune it on a small machine: one thread per
// process (OMP_THREAD_LIMIT=1) and two processes at once.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { BenchFile, FileRun } from '../runner-protocol';
import { runAsChild, type Runner } from '../runner-child';

const CONCURRENT_PROCESSES = 2;
/** GNU time reports a finished process's peak RSS, which /proc no longer shows once it exits. */
const GNU_TIME = '/usr/bin/time';

interface ProcessRun {
  run: FileRun;
  peakRssMb: number | null;
}

function tesseractVersion(): string {
  const result = spawnSync('tesseract', ['--version'], { encoding: 'utf8' });
  const firstLine = `${result.stdout}${result.stderr}`.split('\n')[0]?.trim();
  return firstLine || 'tesseract (version unknown)';
}

function readPeakRssMb(timeOutputPath: string): number | null {
  if (!existsSync(timeOutputPath)) return null;
  const kilobytes = Number.parseInt(
    readFileSync(timeOutputPath, 'utf8').trim().split('\n').pop() ?? '',
  );
  return Number.isFinite(kilobytes) ? kilobytes / 1024 : null;
}

function readWithTesseract(
  file: BenchFile,
  scratchDir: string,
  index: number,
): Promise<ProcessRun> {
  const timeOutputPath = join(scratchDir, `${index}.rss`);
  const tesseractArgs = [file.imagePath, 'stdout', '-l', 'eng'];
  const [command, args] = existsSync(GNU_TIME)
    ? [GNU_TIME, ['-f', '%M', '-o', timeOutputPath, 'tesseract', ...tesseractArgs]]
    : ['tesseract', tesseractArgs];

  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(command, args, {
      env: { ...process.env, OMP_THREAD_LIMIT: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));

    const finish = (error?: string) => {
      const run: FileRun = {
        imagePath: file.imagePath,
        text: Buffer.concat(stdout).toString('utf8'),
        wallMs: performance.now() - started,
        pagesRead: error ? 0 : file.pageCount,
        ...(error ? { error } : {}),
      };
      resolve({ run, peakRssMb: readPeakRssMb(timeOutputPath) });
    };
    child.on('error', (error) => finish(error.message));
    child.on('close', (code, signal) => {
      if (code === 0) return finish();
      const detail = Buffer.concat(stderr).toString('utf8').trim().split('\n').slice(-2).join(' ');
      finish(`tesseract exited with ${signal ?? `code ${code}`}: ${detail}`);
    });
  });
}

/** Runs every file with at most CONCURRENT_PROCESSES tesseract processes alive at once. */
async function readAll(files: BenchFile[], scratchDir: string): Promise<ProcessRun[]> {
  const runs: ProcessRun[] = new Array(files.length);
  let next = 0;
  const lane = async () => {
    while (next < files.length) {
      const index = next++;
      runs[index] = await readWithTesseract(files[index], scratchDir, index);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENT_PROCESSES }, lane));
  return runs;
}

async function start(): Promise<Runner> {
  const scratchDir = mkdtempSync(join(tmpdir(), 'ocr-desk-bench-tesseract-'));
  const timeNote = existsSync(GNU_TIME) ? '' : '; peak RSS unknown (no GNU time)';
  return {
    runsInSubprocesses: true,
    description: `${tesseractVersion()}, -l eng, OMP_THREAD_LIMIT=1, ${CONCURRENT_PROCESSES} processes at once${timeNote}`,
    async runSet(files) {
      const runs = await readAll(files, scratchDir);
      const peaks = runs.map((r) => r.peakRssMb).filter((mb): mb is number => mb !== null);
      return {
        files: runs.map((r) => r.run),
        peakRssMb: peaks.length > 0 ? Math.max(...peaks) : null,
      };
    },
    async close() {
      rmSync(scratchDir, { recursive: true, force: true });
    },
  };
}

await runAsChild('tesseract', start);
