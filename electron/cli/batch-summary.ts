/** The batch summary: one entry per input, written to DIR/summary.json and told on stderr. */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ExportFormat } from '../../shared/domain';
import type { ErrorInfo } from '../../shared/errors';

export type ItemStatus = 'completed' | 'failed' | 'skipped';

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
  /** Why a file in a folder was not read. */
  skippedReason: string | null;
}

export interface BatchSummary {
  startedAt: string;
  finishedAt: string;
  outDir: string;
  formats: ExportFormat[];
  counts: Record<ItemStatus, number>;
  items: SummaryItem[];
}

export function buildSummary(
  items: SummaryItem[],
  outDir: string,
  formats: ExportFormat[],
  startedMs: number,
): BatchSummary {
  const counts = { completed: 0, failed: 0, skipped: 0 };
  for (const item of items) counts[item.status] += 1;
  return {
    startedAt: new Date(startedMs).toISOString(),
    finishedAt: new Date().toISOString(),
    outDir,
    formats,
    counts,
    items: [...items].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
  };
}

export async function writeSummary(summary: BatchSummary): Promise<string> {
  const path = join(summary.outDir, 'summary.json');
  await writeFile(path, JSON.stringify(summary, null, 2) + '\n');
  return path;
}

export function describeItem(item: SummaryItem): string {
  const name = item.relativePath ?? item.path;
  if (item.status === 'skipped') return `${name}: skipped (${item.skippedReason})`;
  if (item.status === 'failed')
    return `${name}: failed [${item.error?.code}] ${item.error?.message}`;
  const seconds = item.timeMs === null ? '' : `, ${(item.timeMs / 1000).toFixed(1)} s`;
  const pages = item.pages === 1 ? '1 page' : `${item.pages} pages`;
  return `${name}: completed (${pages}${seconds})`;
}

/** Skipped files listed one by one on stderr; the rest are counted (all are in summary.json). */
const SKIPPED_LISTED = 10;

export function formatSummary(summary: BatchSummary, summaryPath: string): string {
  const lines = ['', 'Summary:'];
  for (const item of summary.items) {
    if (item.status === 'failed') lines.push(`  ${describeItem(item)}`);
  }
  const skippedItems = summary.items.filter((item) => item.status === 'skipped');
  for (const item of skippedItems.slice(0, SKIPPED_LISTED)) lines.push(`  ${describeItem(item)}`);
  if (skippedItems.length > SKIPPED_LISTED) {
    lines.push(`  … and ${skippedItems.length - SKIPPED_LISTED} more skipped`);
  }
  const { completed, failed, skipped } = summary.counts;
  lines.push(
    `  ${completed} completed, ${failed} failed, ${skipped} skipped; details in ${summaryPath}`,
  );
  return lines.join('\n') + '\n';
}
