/** The batch summary: one entry per input, written to DIR/summary.json and told on stderr. */
import { basename } from 'node:path';
import type { ExportFormat } from '../../shared/domain';
import type { ErrorInfo } from '../../shared/errors';
import { writeFileAtomic } from '../service/export/atomic-write';

export type ItemStatus = 'completed' | 'failed' | 'cancelled' | 'skipped';

/** A page of a completed document that could not be read; the others were. */
export interface FailedPage {
  /** 1-based, as a viewer numbers pages. */
  page: number;
  error: ErrorInfo;
}

export interface SummaryItem {
  /** The file, absolute. */
  path: string;
  /** Where it sits in the output tree, without the extension's replacement. */
  relativePath: string | null;
  status: ItemStatus;
  pages: number | null;
  /** Reading time, in ms. */
  timeMs: number | null;
  outputs: string[];
  error: ErrorInfo | null;
  /** Pages of a completed document that failed alone (exit status 1, like a failed file). */
  failedPages: FailedPage[];
  /** What an output lacks though the batch wrote it (a page left out of a searchable PDF). */
  exportNotes: string[];
  /** Why a file in a folder was not read. */
  skippedReason: string | null;
}

export interface BatchSummary {
  startedAt: string;
  finishedAt: string;
  outDir: string;
  formats: ExportFormat[];
  counts: Record<ItemStatus, number> & { withFailedPages: number };
  items: SummaryItem[];
  /**
   * Files earlier batches wrote into this folder that this one did not write again: still
   * ours, so the next batch replaces them rather than reading or avoiding them.
   */
  earlierOutputs: string[];
}

export function buildSummary(
  items: SummaryItem[],
  outDir: string,
  formats: ExportFormat[],
  startedMs: number,
  earlierOutputs: string[] = [],
): BatchSummary {
  const counts = { completed: 0, failed: 0, cancelled: 0, skipped: 0, withFailedPages: 0 };
  for (const item of items) {
    counts[item.status] += 1;
    if (item.failedPages.length > 0) counts.withFailedPages += 1;
  }
  return {
    startedAt: new Date(startedMs).toISOString(),
    finishedAt: new Date().toISOString(),
    outDir,
    formats,
    counts,
    earlierOutputs,
    items: [...items].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
  };
}

/** Whether the batch read everything it was given (exit status 0). */
export function fullyRead(summary: BatchSummary): boolean {
  const { failed, cancelled, withFailedPages } = summary.counts;
  return failed + cancelled + withFailedPages === 0;
}

/**
 * Writes the summary to `path` (see summaryPathFor in output-plan.ts) so that the name only
 * ever holds a whole summary: on a full disk an earlier summary stays as it was. Rejects with
 * an OcrError (export_failed) saying why.
 */
export async function writeSummary(summary: BatchSummary, path: string): Promise<void> {
  await writeFileAtomic(path, JSON.stringify(summary, null, 2) + '\n');
}

export function describeItem(item: SummaryItem): string {
  const name = printable(item.relativePath ?? item.path);
  if (item.status === 'skipped') return `${name}: skipped (${item.skippedReason})`;
  const notes = item.exportNotes.map((note) => `; ${note}`).join('');
  if (item.status === 'cancelled' || (item.status === 'failed' && item.pages === null))
    return `${name}: ${item.status} [${item.error?.code}] ${item.error?.message}`;
  const seconds = item.timeMs === null ? '' : `, ${(item.timeMs / 1000).toFixed(1)} s`;
  const total = (item.pages ?? 0) + item.failedPages.length;
  const pages =
    item.failedPages.length > 0
      ? `${item.pages} of ${total} pages`
      : item.pages === 1
        ? '1 page'
        : `${item.pages} pages`;
  const failures = item.failedPages.map(
    ({ page, error }) => `; page ${page} failed [${error.code}] ${error.message}`,
  );
  const read = `(${pages}${seconds})${failures.join('')}${notes}`;
  // Read, but an export of it failed.
  if (item.status === 'failed') {
    return `${name}: failed [${item.error?.code}] ${item.error?.message}; read ${read}`;
  }
  return `${name}: completed ${read}`;
}

/** A file name as one line of text: control characters (a newline in a name) shown escaped. */
function printable(name: string): string {
  const escaped = (code: number) => `\\x${code.toString(16).padStart(2, '0')}`;
  return Array.from(name, (c) => {
    const code = c.charCodeAt(0);
    return code < 0x20 || code === 0x7f ? escaped(code) : c;
  }).join('');
}

/** Skipped files listed one by one on stderr; the rest are counted (all are in summary.json). */
const SKIPPED_LISTED = 10;

/**
 * The summary as told on stderr. `writeError` is why `summaryPath` could not be written, when
 * it could not: the lines here are then all the user gets.
 */
export function formatSummary(
  summary: BatchSummary,
  summaryPath: string,
  writeError?: string,
): string {
  const lines = ['', 'Summary:'];
  for (const item of summary.items) {
    const unread = item.status === 'failed' || item.status === 'cancelled';
    if (unread || item.failedPages.length > 0 || item.exportNotes.length > 0)
      lines.push(`  ${describeItem(item)}`);
  }
  const skippedItems = summary.items.filter((item) => item.status === 'skipped');
  for (const item of skippedItems.slice(0, SKIPPED_LISTED)) lines.push(`  ${describeItem(item)}`);
  if (skippedItems.length > SKIPPED_LISTED) {
    lines.push(`  … and ${skippedItems.length - SKIPPED_LISTED} more skipped`);
  }
  const { completed, failed, cancelled, skipped, withFailedPages } = summary.counts;
  const partly = withFailedPages > 0 ? ` (${withFailedPages} with failed pages)` : '';
  const stopped = cancelled > 0 ? `${cancelled} cancelled, ` : '';
  const counted = `  ${completed} completed${partly}, ${failed} failed, ${stopped}${skipped} skipped`;
  if (writeError === undefined) {
    lines.push(`${counted}; details in ${summaryPath}`);
  } else {
    lines.push(counted);
    lines.push(`${basename(summaryPath)} could not be written: ${writeError}`);
  }
  return lines.join('\n') + '\n';
}
