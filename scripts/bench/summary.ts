// Turns the runners' raw results into scores per file, per set and in total. Pure.
import {
  bagOfWordsScores,
  characterErrorRate,
  characterErrors,
  wordMatches,
  type CharacterErrors,
  type WordMatches,
} from './metrics';
import type { BenchFile, FileRun, RunnerName, RunnerResult, SetRun } from './runner-protocol';

export type PrimaryMetric = 'cer' | 'f1';

/**
 * Receipts and forms have ground truth in annotation order, not reading order, so only an
 * order-free measure is fair there; the others are transcribed in reading order.
 */
const PRIMARY_METRIC_BY_SET: Record<string, PrimaryMetric> = {
  'oldbooks-pages': 'cer',
  'tesseractjs-clean': 'cer',
  'sroie-receipts': 'f1',
  'funsd-forms': 'f1',
};

export function primaryMetricOf(set: string): PrimaryMetric {
  return PRIMARY_METRIC_BY_SET[set] ?? 'cer';
}

export const TOTAL = 'total';

export interface FileScore extends FileRun, CharacterErrors, WordMatches {
  runner: RunnerName;
  set: string;
  name: string;
  pageCount: number;
  cer: number;
  precision: number;
  recall: number;
  f1: number;
}

export interface GroupSummary {
  runner: RunnerName;
  /** A set's name, or TOTAL for the whole run. */
  set: string;
  files: number;
  failedFiles: number;
  pages: number;
  cer: number;
  f1: number;
  wallMs: number;
  pagesPerMinute: number;
  peakRssMb: number | null;
  /** Share of the process's CPU time (all threads) spent inside onnxruntime; ours only. */
  inferenceShare: number | null;
}

export interface SpeedRatio {
  set: string;
  peer: RunnerName;
  /** Our pages per minute over the peer's. */
  oursOverPeer: number;
}

export interface BenchSummary {
  sets: string[];
  files: FileScore[];
  groups: GroupSummary[];
  speedRatios: SpeedRatio[];
}

function scoreFile(
  runner: RunnerName,
  file: BenchFile,
  run: FileRun | undefined,
  groundTruth: string,
): FileScore {
  const read: FileRun = run ?? {
    imagePath: file.imagePath,
    text: '',
    wallMs: 0,
    pagesRead: 0,
    error: 'no result from the runner',
  };
  const errors = characterErrors(groundTruth, read.text);
  const matches = wordMatches(groundTruth, read.text);
  return {
    ...read,
    ...errors,
    ...matches,
    runner,
    set: file.set,
    name: file.name,
    pageCount: file.pageCount,
    cer: characterErrorRate(errors),
    ...bagOfWordsScores(matches),
  };
}

function maxOrNull(values: (number | null)[]): number | null {
  const known = values.filter((value): value is number => value !== null);
  return known.length > 0 ? Math.max(...known) : null;
}

function summariseGroup(
  result: RunnerResult,
  set: string,
  scores: FileScore[],
  runs: SetRun[],
  peakRssMb: number | null,
): GroupSummary {
  const pages = scores.reduce((sum, score) => sum + score.pageCount, 0);
  const wallMs = runs.reduce((sum, run) => sum + run.wallMs, 0);
  const cpuMs = runs.reduce((sum, run) => sum + run.cpuMs, 0);
  const inferenceKnown = runs.length > 0 && runs.every((run) => run.inferenceMs !== null);
  const inferenceMs = runs.reduce((sum, run) => sum + (run.inferenceMs ?? 0), 0);
  return {
    runner: result.runner,
    set,
    files: scores.length,
    failedFiles: scores.filter((score) => score.error !== undefined).length,
    pages,
    cer: characterErrorRate(scores),
    f1: bagOfWordsScores(scores).f1,
    wallMs,
    pagesPerMinute: wallMs > 0 ? pages / (wallMs / 60_000) : 0,
    peakRssMb,
    inferenceShare: inferenceKnown && cpuMs > 0 ? inferenceMs / cpuMs : null,
  };
}

/** Scores every runner on every file; `groundTruth` maps image paths to their reference text. */
export function summariseBench(
  files: BenchFile[],
  groundTruth: Map<string, string>,
  results: RunnerResult[],
): BenchSummary {
  const sets = [...new Set(files.map((file) => file.set))];
  const allScores: FileScore[] = [];
  const groups: GroupSummary[] = [];

  for (const result of results) {
    const runs = new Map(result.files.map((run) => [run.imagePath, run]));
    const scores = files.map((file) =>
      scoreFile(
        result.runner,
        file,
        runs.get(file.imagePath),
        groundTruth.get(file.imagePath) ?? '',
      ),
    );
    allScores.push(...scores);

    for (const set of sets) {
      const setRun = result.sets.find((run) => run.set === set);
      const setScores = scores.filter((score) => score.set === set);
      groups.push(
        summariseGroup(result, set, setScores, setRun ? [setRun] : [], setRun?.peakRssMb ?? null),
      );
    }
    const totalPeak = maxOrNull([
      result.startupPeakRssMb,
      ...result.sets.map((run) => run.peakRssMb),
    ]);
    groups.push(summariseGroup(result, TOTAL, scores, result.sets, totalPeak));
  }

  return { sets, files: allScores, groups, speedRatios: speedRatios(groups, [...sets, TOTAL]) };
}

function speedRatios(groups: GroupSummary[], sets: string[]): SpeedRatio[] {
  const ratios: SpeedRatio[] = [];
  for (const set of sets) {
    const ours = groups.find((group) => group.runner === 'ours' && group.set === set);
    if (!ours) continue;
    for (const peer of groups.filter((group) => group.runner !== 'ours' && group.set === set)) {
      if (peer.pagesPerMinute === 0) continue;
      ratios.push({
        set,
        peer: peer.runner,
        oursOverPeer: ours.pagesPerMinute / peer.pagesPerMinute,
      });
    }
  }
  return ratios;
}
