// `npm run bench -- [DIR] [--only ours,tesseract,gutenye] [--limit N]`: reads every image
// with ground truth under DIR with each runner in turn, each in its own child process so that
// peak memory is per runner, then prints a table and writes the per-file results as JSON.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { withEngineAllocator } from '../../electron/service/allocator-env';
import { findBenchFiles } from './corpus';
import { BENCH_USAGE, parseBenchOptions, type BenchOptions } from './options';
import type { BenchFile, RunnerName, RunnerResult } from './runner-protocol';
import { summariseBench } from './summary';
import { formatBenchTable } from './table';

const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');

function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

function tesseractOnPath(): boolean {
  return !spawnSync('tesseract', ['--version'], { stdio: 'ignore' }).error;
}

/** Runs one runner in a fresh Node process; rejects with the reason when it fails. */
function runChild(
  runner: RunnerName,
  files: BenchFile[],
  scratchDir: string,
): Promise<RunnerResult> {
  const requestPath = join(scratchDir, `${runner}-request.json`);
  const resultPath = join(scratchDir, `${runner}-result.json`);
  writeFileSync(requestPath, JSON.stringify({ files }));
  const script = join(repoRoot, 'scripts', 'bench', 'runners', `${runner}.ts`);

  return new Promise((resolveRun, rejectRun) => {
    // The runners' own output goes to stderr so that stdout holds the table only.
    const child = spawn(process.execPath, ['--import', 'tsx', script, requestPath, resultPath], {
      cwd: repoRoot,
      stdio: ['ignore', 2, 2],
      // Ours runs with the allocator settings the app gives its service process.
      env: runner === 'ours' ? withEngineAllocator() : process.env,
    });
    child.on('error', rejectRun);
    child.on('close', (code, signal) => {
      if (code !== 0) {
        rejectRun(new Error(`${runner} runner exited with ${signal ?? `code ${code}`}`));
        return;
      }
      try {
        resolveRun(JSON.parse(readFileSync(resultPath, 'utf8')) as RunnerResult);
      } catch (error) {
        rejectRun(error instanceof Error ? error : new Error(String(error)));
      }
    });
  });
}

interface RunnerFailure {
  runner: RunnerName;
  message: string;
}

/** Runs the runners one after another, so that none competes with another for the cores. */
async function runAll(
  runners: RunnerName[],
  files: BenchFile[],
): Promise<{ results: RunnerResult[]; failures: RunnerFailure[] }> {
  const scratchDir = mkdtempSync(join(tmpdir(), 'ocr-desk-bench-'));
  const results: RunnerResult[] = [];
  const failures: RunnerFailure[] = [];
  try {
    for (const runner of runners) {
      log(`running ${runner}`);
      try {
        results.push(await runChild(runner, files, scratchDir));
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        log(`${runner} failed: ${message}`);
        failures.push({ runner, message });
      }
    }
  } finally {
    rmSync(scratchDir, { recursive: true, force: true });
  }
  return { results, failures };
}

/** Writes the full results under tests/.artifacts/bench and returns the file's path. */
function writeReport(report: object): string {
  const artifactsDir = join(repoRoot, 'tests', '.artifacts', 'bench');
  mkdirSync(artifactsDir, { recursive: true });
  const reportPath = join(artifactsDir, `${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(reportPath, JSON.stringify(report, null, 2));
  return reportPath;
}

function parseOrExit(args: string[]): BenchOptions {
  try {
    return parseBenchOptions(args);
  } catch (error) {
    process.stderr.write(
      `${error instanceof Error ? error.message : String(error)}\n${BENCH_USAGE}\n`,
    );
    process.exit(2);
  }
}

async function main(): Promise<void> {
  const options = parseOrExit(process.argv.slice(2));
  const corpusDir = options.dir
    ? resolve(options.dir)
    : resolve(repoRoot, '..', 'shared', 'corpus');
  const files = await findBenchFiles(corpusDir, options.limitPerSet);
  if (files.length === 0) {
    process.stderr.write(`No images with a .gt.txt beside them under ${corpusDir}\n`);
    process.exit(1);
  }
  const groundTruth = new Map(
    files.map((file) => [file.imagePath, readFileSync(file.groundTruthPath, 'utf8')]),
  );
  log(`${files.length} files in ${new Set(files.map((f) => f.set)).size} sets under ${corpusDir}`);

  const runners = options.runners.filter((runner) => {
    if (runner !== 'tesseract' || tesseractOnPath()) return true;
    log('tesseract is not on PATH; skipping it');
    return false;
  });

  const startedAt = new Date().toISOString();
  const loadBefore = loadavg()[0];
  const { results, failures } = await runAll(runners, files);
  const loadAfter = loadavg()[0];

  const summary = summariseBench(files, groundTruth, results);
  const context = { corpusDir, cores: availableParallelism(), loadBefore, loadAfter };
  process.stdout.write(formatBenchTable(summary, { ...context, results }));
  for (const { runner, message } of failures) {
    process.stdout.write(`\n${runner} did not finish: ${message}\n`);
  }

  const reportPath = writeReport({
    startedAt,
    ...context,
    runners: results.map(({ files: _files, ...runnerDetails }) => runnerDetails),
    failures,
    ...summary,
  });
  process.stdout.write(`\nPer-file results: ${relative(process.cwd(), reportPath)}\n`);
  if (failures.length > 0) process.exitCode = 1;
}

await main();
