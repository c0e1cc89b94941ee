// The benchmark's printed report: one block per set and one for the total. Pure.
import type { RunnerResult } from './runner-protocol';
import { primaryMetricOf, TOTAL, type BenchSummary, type GroupSummary } from './summary';

export interface TableContext {
  corpusDir: string;
  cores: number;
  /** One-minute load averages when the run started and ended. */
  loadBefore: number;
  loadAfter: number;
  results: RunnerResult[];
}

const COLUMNS = [
  ['runner', 14],
  ['CER', 9],
  ['F1', 8],
  ['pages/min', 11],
  ['peak RSS MB', 13],
  ['onnx share', 12],
  ['ours/peer speed', 17],
] as const;

function row(cells: string[]): string {
  return cells
    .map((cell, i) => (i === 0 ? cell.padEnd(COLUMNS[i][1]) : cell.padStart(COLUMNS[i][1])))
    .join('')
    .trimEnd();
}

const percent = (value: number, digits = 2) => `${(value * 100).toFixed(digits)}%`;

function groupRow(group: GroupSummary, primary: 'cer' | 'f1' | null, ratio: number | null): string {
  const mark = (metric: 'cer' | 'f1', text: string) => (metric === primary ? `*${text}` : text);
  const failed = group.failedFiles > 0 ? ` (${group.failedFiles} failed)` : '';
  return row([
    `  ${group.runner}${failed}`,
    mark('cer', percent(group.cer)),
    mark('f1', group.f1.toFixed(3)),
    group.pagesPerMinute.toFixed(1),
    group.peakRssMb === null ? '-' : Math.round(group.peakRssMb).toString(),
    group.inferenceShare === null ? '' : percent(group.inferenceShare, 0),
    ratio === null ? '' : `${ratio.toFixed(2)}×`,
  ]);
}

function setBlock(summary: BenchSummary, set: string): string[] {
  const groups = summary.groups.filter((group) => group.set === set);
  const first = groups[0];
  if (!first) return [];
  const primary = set === TOTAL ? null : primaryMetricOf(set);
  const title =
    set === TOTAL
      ? `TOTAL (${first.files} files, ${first.pages} pages)`
      : `${set} (${first.files} files, ${first.pages} pages; primary: ${primary === 'cer' ? 'CER' : 'F1'})`;
  const lines = [title];
  for (const group of groups) {
    const ratio = summary.speedRatios.find((r) => r.set === set && r.peer === group.runner);
    lines.push(groupRow(group, primary, ratio?.oursOverPeer ?? null));
  }
  return lines;
}

function notes(context: TableContext): string[] {
  const lines = ['', 'Runners:'];
  for (const result of context.results) {
    const startup =
      result.startupMs >= 50 ? `; startup ${(result.startupMs / 1000).toFixed(1)} s` : '';
    lines.push(`  ${result.runner}: ${result.description}${startup}`);
  }
  lines.push(
    '',
    'Notes:',
    "  * marks the set's primary metric. CER: edits / reference characters, whitespace folded,",
    '    pooled over the set. F1: bag of lower-cased words, edge punctuation stripped, pooled.',
    '  pages/min: pages / wall time of the set, model loading (startup) excluded.',
    '  peak RSS: VmHWM of the runner process per set (reset between sets); for tesseract the',
    '    largest single tesseract process (two run at once).',
    '  onnx share: CPU time inside onnxruntime calls / CPU time of our process (all threads);',
    '    the rest is our overhead. Ours reads as many documents at once as it has workers.',
    "  ours/peer speed: our pages/min over that runner's.",
    `  Machine: ${context.cores} cores; 1-min load ${context.loadBefore.toFixed(2)} at start, ` +
      `${context.loadAfter.toFixed(2)} at end (other work on the machine skews speed).`,
  );
  return lines;
}

export function formatBenchTable(summary: BenchSummary, context: TableContext): string {
  const header = row(COLUMNS.map(([name]) => name));
  const lines = [`OCR benchmark on ${context.corpusDir}`, '', header, '-'.repeat(header.length)];
  for (const set of [...summary.sets, TOTAL]) {
    lines.push(...setBlock(summary, set), '');
  }
  lines.push(...notes(context));
  return `${lines.join('\n')}\n`;
}
