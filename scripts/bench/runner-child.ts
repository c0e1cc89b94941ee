// The common body of a runner's child process: read the request, start the runner, run the
// sets one after another measuring wall time and peak memory, write the result.
import { readFileSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type {
  BenchFile,
  FileRun,
  RunnerName,
  RunnerRequest,
  RunnerResult,
  SetRun,
} from './runner-protocol';

export interface SetOutcome {
  files: FileRun[];
  /** Peak of the subprocesses when the runner uses them; otherwise this process's is read. */
  peakRssMb?: number | null;
  /** Time spent inside onnxruntime calls over the set, in thread-ms, when the runner knows. */
  inferenceMs?: number;
}

export interface Runner {
  description: string;
  /** The work happens in subprocesses, which report their own peaks through `SetOutcome`. */
  runsInSubprocesses?: boolean;
  runSet(files: BenchFile[]): Promise<SetOutcome>;
  close(): Promise<void>;
}

/** Peak resident memory of this process (VmHWM) in MB, or null off Linux. */
export function readOwnPeakRssMb(): number | null {
  try {
    const status = readFileSync('/proc/self/status', 'utf8');
    const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(status);
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** Lowers VmHWM to the current RSS, so the next reading is the peak of what follows. */
function resetOwnPeakRss(): void {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
  } catch {
    // Not Linux, or an old kernel: the reading then covers everything since the start.
  }
}

export function progress(runner: RunnerName, message: string): void {
  process.stderr.write(`[bench:${runner}] ${message}\n`);
}

/** Groups files by set, keeping the order in which sets first appear. */
function bySet(files: BenchFile[]): Map<string, BenchFile[]> {
  const sets = new Map<string, BenchFile[]>();
  for (const file of files) sets.set(file.set, [...(sets.get(file.set) ?? []), file]);
  return sets;
}

/**
 * Runs a runner as this process's whole job. Failures end the process with the error and its stack:
 * some peers install an uncaught-exception handler that would print pages of minified code.
 */
export async function runAsChild(name: RunnerName, start: () => Promise<Runner>): Promise<void> {
  try {
    await runSets(name, start);
  } catch (error) {
    progress(
      name,
      `failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    process.exit(1);
  }
}

async function runSets(name: RunnerName, start: () => Promise<Runner>): Promise<void> {
  const [requestPath, resultPath] = process.argv.slice(2);
  if (!requestPath || !resultPath) throw new Error('usage: <runner> REQUEST.json RESULT.json');
  const request = JSON.parse(readFileSync(requestPath, 'utf8')) as RunnerRequest;

  const startupStart = performance.now();
  const runner = await start();
  const startupMs = performance.now() - startupStart;
  const startupPeakRssMb = runner.runsInSubprocesses ? null : readOwnPeakRssMb();
  progress(name, `ready in ${Math.round(startupMs)} ms: ${runner.description}`);

  const sets: SetRun[] = [];
  const files: FileRun[] = [];
  for (const [set, setFiles] of bySet(request.files)) {
    resetOwnPeakRss();
    const setStart = performance.now();
    const cpuStart = process.cpuUsage();
    const outcome = await runner.runSet(setFiles);
    const wallMs = performance.now() - setStart;
    const cpu = process.cpuUsage(cpuStart);
    const peakRssMb = runner.runsInSubprocesses ? (outcome.peakRssMb ?? null) : readOwnPeakRssMb();
    const cpuMs = (cpu.user + cpu.system) / 1000;
    sets.push({ set, wallMs, peakRssMb, cpuMs, inferenceMs: outcome.inferenceMs ?? null });
    files.push(...outcome.files);
    progress(name, `${set}: ${setFiles.length} files in ${(wallMs / 1000).toFixed(1)} s`);
  }
  await runner.close();

  const result: RunnerResult = {
    runner: name,
    description: runner.description,
    startupMs,
    startupPeakRssMb,
    sets,
    files,
  };
  writeFileSync(resultPath, JSON.stringify(result));
}
