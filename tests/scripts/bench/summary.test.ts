import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BenchFile, RunnerResult } from '../../../scripts/bench/runner-protocol';
import { primaryMetricOf, summariseBench, TOTAL } from '../../../scripts/bench/summary';

const files: BenchFile[] = [
  { set: 'books', name: 'a', imagePath: '/c/books/a.png', groundTruthPath: '', pageCount: 1 },
  { set: 'books', name: 'b', imagePath: '/c/books/b.png', groundTruthPath: '', pageCount: 2 },
  { set: 'forms', name: 'c', imagePath: '/c/forms/c.png', groundTruthPath: '', pageCount: 1 },
];
const groundTruth = new Map([
  ['/c/books/a.png', 'abcd'],
  ['/c/books/b.png', 'efgh ijkl'],
  ['/c/forms/c.png', 'name date'],
]);

const stage = (inference: number) => ({
  decode: 0,
  detect: 0,
  classify: 0,
  recognize: 0,
  layout: 0,
  total: inference,
  inference,
});

const ours: RunnerResult = {
  runner: 'ours',
  description: '',
  startupMs: 500,
  startupPeakRssMb: 300,
  sets: [
    { set: 'books', wallMs: 30_000, peakRssMb: 400, cpuMs: 50_000, inferenceMs: 40_000 },
    { set: 'forms', wallMs: 10_000, peakRssMb: 350, cpuMs: 10_000, inferenceMs: 8_000 },
  ],
  files: [
    {
      imagePath: '/c/books/a.png',
      text: 'abxd',
      wallMs: 10_000,
      pagesRead: 1,
      stageTotalsMs: stage(6_000),
    },
    {
      imagePath: '/c/books/b.png',
      text: 'efgh\nijkl',
      wallMs: 20_000,
      pagesRead: 2,
      stageTotalsMs: stage(18_000),
    },
    {
      imagePath: '/c/forms/c.png',
      text: 'date name',
      wallMs: 10_000,
      pagesRead: 1,
      stageTotalsMs: stage(8_000),
    },
  ],
};

const peer: RunnerResult = {
  runner: 'tesseract',
  description: '',
  startupMs: 0,
  startupPeakRssMb: null,
  sets: [
    { set: 'books', wallMs: 15_000, peakRssMb: 50, cpuMs: 100, inferenceMs: null },
    { set: 'forms', wallMs: 20_000, peakRssMb: 60, cpuMs: 100, inferenceMs: null },
  ],
  // b.png is missing: a runner that lost a file is scored as having read nothing.
  files: [
    { imagePath: '/c/books/a.png', text: 'abcd', wallMs: 15_000, pagesRead: 1 },
    { imagePath: '/c/forms/c.png', text: '', wallMs: 1, pagesRead: 0, error: 'crashed' },
  ],
};

describe('summariseBench', () => {
  const summary = summariseBench(files, groundTruth, [ours, peer]);
  const group = (runner: string, set: string) => {
    const found = summary.groups.find((g) => g.runner === runner && g.set === set);
    assert.ok(found, `${runner} ${set}`);
    return found;
  };

  it('pools CER over a set by characters and F1 by words', () => {
    // One edit in 'abcd', none in 'efgh ijkl' (whitespace folded): 1 / 13 characters.
    assert.equal(group('ours', 'books').cer, 1 / 13);
    assert.equal(group('ours', 'forms').f1, 1);
  });

  it('counts pages per minute from the set wall time', () => {
    assert.equal(group('ours', 'books').pagesPerMinute, 6); // 3 pages in 30 s
    assert.equal(group('ours', TOTAL).pagesPerMinute, 6); // 4 pages in 40 s
    assert.equal(group('tesseract', 'books').pagesPerMinute, 12);
  });

  it('gives the share of CPU time inside onnxruntime for our engine only', () => {
    assert.equal(group('ours', 'books').inferenceShare, 0.8);
    assert.equal(group('ours', 'forms').inferenceShare, 0.8);
    assert.equal(group('ours', TOTAL).inferenceShare, 0.8); // 48 of 60 s of CPU
    assert.equal(group('tesseract', TOTAL).inferenceShare, null);
  });

  it('takes the total peak memory over startup and every set', () => {
    assert.equal(group('ours', TOTAL).peakRssMb, 400);
    assert.equal(group('tesseract', TOTAL).peakRssMb, 60);
  });

  it('scores missing and failed files as empty readings and counts them', () => {
    assert.equal(group('tesseract', 'books').failedFiles, 1);
    assert.equal(group('tesseract', 'forms').f1, 0);
    const missing = summary.files.find((f) => f.runner === 'tesseract' && f.name === 'b');
    assert.equal(missing?.cer, 1);
  });

  it('gives our speed over each peer per set and in total', () => {
    const ratio = (set: string) =>
      summary.speedRatios.find((r) => r.set === set && r.peer === 'tesseract')?.oursOverPeer;
    assert.equal(ratio('books'), 0.5);
    assert.equal(ratio('forms'), 2);
    // Pages come from the files, not from what a runner read: 4 pages in 35 s.
    assert.ok(Math.abs((ratio(TOTAL) ?? 0) - 6 / (4 / (35_000 / 60_000))) < 1e-9);
  });
});

describe('primaryMetricOf', () => {
  it('uses F1 where the ground truth is not in reading order, CER elsewhere', () => {
    assert.equal(primaryMetricOf('sroie-receipts'), 'f1');
    assert.equal(primaryMetricOf('funsd-forms'), 'f1');
    assert.equal(primaryMetricOf('oldbooks-pages'), 'cer');
    assert.equal(primaryMetricOf('something-new'), 'cer');
  });
});
