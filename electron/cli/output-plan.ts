/**
 * Where a batch's results go: the output folder checked and created, each document's output
 * name, and the summary's file, none of them the path of a file the batch met, so that `--out`
 * pointing into the inputs cannot replace a user's file.
 */
import { constants, existsSync } from 'node:fs';
import { access, readdir, readFile, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { assignExportStems, pathKey } from '../service/api/export-names';
import { EXPORT_EXTENSIONS } from '../service/export';
import { createFolder } from '../service/folders';
import { acquirePidLock, type PidLock } from '../service/service-lock';
import type { Collected, CollectedFile } from '../service/inputs/collect-inputs';
import type { BatchSummary } from './batch-summary';
import { CliUsageError, type CliOptions } from './cli-args';

export interface OutputPlan {
  /** Output name of each document (by its path), without the format's extension. */
  stems: Map<string, string>;
  summaryPath: string;
}

/**
 * The output folder, created and writable. One that is a file, or that cannot be created or
 * written, is the user's mistake (a usage error), found before any document is read.
 */
export async function prepareOutDir(outDir: string): Promise<void> {
  const existing = await stat(outDir).catch(() => null);
  if (existing && !existing.isDirectory()) {
    throw new CliUsageError(`--out ${outDir} is a file, not a folder`);
  }
  try {
    await createFolder(outDir);
    await access(outDir, constants.W_OK);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new CliUsageError(`--out ${outDir} cannot be created or written (${reason})`);
  }
}

/** The lock a batch holds on its output folder while it writes there. */
export const BATCH_LOCK_NAME = '.ocr-desk-batch.lock';

/**
 * Takes the output folder for this batch. Two batches writing one folder at once would
 * overwrite each other's results and summary, so a second one is refused (a usage error)
 * while the first runs; a lock left by a batch that was killed is taken over.
 */
export function lockOutDir(outDir: string): PidLock {
  try {
    return acquirePidLock(
      join(outDir, BATCH_LOCK_NAME),
      (owner) =>
        new CliUsageError(
          `Another ocr-desk batch (pid ${owner}) is writing to ${outDir}; wait for it to finish or choose another --out`,
        ),
    );
  } catch (error) {
    if (error instanceof CliUsageError) throw error;
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new CliUsageError(`--out ${outDir} cannot be written (${reason})`);
  }
}

export function planOutputs(collected: Collected, options: CliOptions): OutputPlan {
  const met = [
    ...collected.files.map((file) => file.path),
    ...collected.skipped.map((skipped) => skipped.path),
  ];
  const summaryPath = summaryPathFor(options.outDir, met);

  const stems = assignExportStems(
    collected.files.map((file) => ({
      key: file.path,
      sourcePath: file.path,
      destinationDir: destinationOf(file, options.outDir),
    })),
    options.formats.map((format) => EXPORT_EXTENSIONS[format]),
    [...met, summaryPath],
  );
  return { stems, summaryPath };
}

/**
 * What the batch met, less earlier batches' results (`earlier`, from earlierOutputs): a batch
 * into a folder that holds them neither reads them again (its searchable PDFs are documents)
 * nor keeps clear of their names, so it replaces them. Everything else it met stays the user's.
 */
export function leaveOutEarlierOutputs(collected: Collected, earlier: Set<string>): Collected {
  if (earlier.size === 0) return collected;
  return {
    ...collected,
    files: collected.files.filter((file) => !earlier.has(file.path)),
    skipped: collected.skipped.filter((skipped) => !earlier.has(skipped.path)),
  };
}

/**
 * The files earlier batches into `outDir` wrote, by their summaries there (summary.json,
 * summary-2.json…): each summary, its outputs, and the earlier outputs it carried forward.
 */
export async function earlierOutputs(outDir: string): Promise<Set<string>> {
  const names = await readdir(outDir).catch(() => [] as string[]);
  const ours = new Set<string>();
  for (const name of names.filter((n) => SUMMARY_NAME.test(n))) {
    const path = resolve(outDir, name);
    const summary = await readSummary(path);
    if (!summary) continue;
    ours.add(path);
    const listed = [
      ...summary.items.flatMap((item) => item?.outputs ?? []),
      ...summary.earlierOutputs,
    ];
    for (const output of listed) if (typeof output === 'string') ours.add(resolve(output));
  }
  return ours;
}

/**
 * What the new summary carries forward: earlier outputs still on disk that this batch did not
 * write again, so that the next batch still knows them as ours.
 */
export function carriedForward(
  earlier: Set<string>,
  written: string[],
  summaryPath: string,
): string[] {
  const rewritten = new Set([...written, summaryPath].map((path) => resolve(path)));
  return [...earlier].filter((path) => !rewritten.has(path) && existsSync(path)).sort();
}

const SUMMARY_NAME = /^summary(-\d+)?\.json$/;

/** A batch summary written by this CLI, or null for any other file (a user's own JSON). */
async function readSummary(
  path: string,
): Promise<{ items: { outputs?: unknown[] }[]; earlierOutputs: unknown[] } | null> {
  const text = await readFile(path, 'utf8').catch(() => null);
  if (text === null) return null;
  try {
    const summary = JSON.parse(text) as Partial<BatchSummary>;
    if (!Array.isArray(summary.items) || typeof summary.startedAt !== 'string') return null;
    const items = summary.items.map((item) => ({
      outputs: Array.isArray(item?.outputs) ? item.outputs : [],
    }));
    const earlier = Array.isArray(summary.earlierOutputs) ? summary.earlierOutputs : [];
    return { items, earlierOutputs: earlier };
  } catch {
    return null;
  }
}

/** `summary.json`, or `summary-2.json`… when the batch read or skipped a file of that name. */
function summaryPathFor(outDir: string, met: string[]): string {
  const taken = new Set(met.map(pathKey));
  for (let n = 1; ; n += 1) {
    const path = join(outDir, n === 1 ? 'summary.json' : `summary-${n}.json`);
    if (!taken.has(pathKey(path))) return path;
  }
}

export function destinationOf(file: CollectedFile, outDir: string): string {
  return join(outDir, dirname(file.relativePath));
}
