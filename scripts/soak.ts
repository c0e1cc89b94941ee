/**
 * Soak: pushes 1,000 pages (the small corpus pages, repeated) through a real service process
 * and samples its resident memory, open file descriptors (/proc/<pid>/fd) and temporary files
 * (its own TMPDIR and stray files in its data folder) over time. Prints a table and the growth
 * after warm-up; exits 1 when memory or descriptors grow more than 10%, or files are left.
 *
 * Usage: npm run soak -- [--pages N (default 1000)] [--sample-ms MS (default 5000)]
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COSMIC_PNG, SIMPLE_PNG, TESTOCR_PNG } from '../tests/electron/service/helpers/corpus';
import {
  startServiceProcess,
  waitForFinal,
} from '../tests/electron/service/helpers/service-process';
import { strayFiles } from '../tests/chaos/crash-chaos';
import { integerArgument } from './integer-argument';

/** Share of the run treated as warm-up (models loaded, caches and pools filled). */
const WARM_UP_SHARE = 0.2;
const MAX_GROWTH = 0.1;
/** Tasks waiting at once: below the default queue size of 100. */
const IN_FLIGHT = 40;

interface Sample {
  elapsedS: number;
  pagesDone: number;
  rssMb: number;
  fds: number;
  tempFiles: number;
}

function rssMbOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return Math.round(kb / 1024);
}

/** Files under `dir`, leaving out tsx's compile cache (the dev loader's, not the service's). */
function listEntries(dir: string): string[] {
  try {
    return readdirSync(dir, { recursive: true })
      .map(String)
      .filter((name) => !name.startsWith('tsx-'));
  } catch {
    return [];
  }
}

function countEntries(dir: string): number {
  return listEntries(dir).length;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

const pageCount = integerArgument('--pages', 1_000);
const sampleMs = integerArgument('--sample-ms', 5_000);
const root = mkdtempSync(join(tmpdir(), 'ocr-desk-soak-'));
const serviceTmp = join(root, 'tmp');
mkdirSync(serviceTmp);
// The service and its workers inherit this, so their temporary files are counted apart from
// whatever else runs on the machine.
process.env.TMPDIR = serviceTmp;
const dataDir = join(root, 'data');
const service = await startServiceProcess(dataDir);
const pid = service.child.pid!;
await service.client.request('setConfig', { patch: { queue: { timeoutMs: 3_600_000 } } });

const images = [SIMPLE_PNG, COSMIC_PNG, TESTOCR_PNG];
const startedMs = Date.now();
const samples: Sample[] = [];
let pagesDone = 0;
const sample = () =>
  samples.push({
    elapsedS: Math.round((Date.now() - startedMs) / 1000),
    pagesDone,
    rssMb: rssMbOf(pid),
    fds: readdirSync(`/proc/${pid}/fd`).length,
    tempFiles: countEntries(serviceTmp) + strayFiles(dataDir).length,
  });
sample();
const sampler = setInterval(sample, sampleMs);

let submitted = 0;
let failed = 0;
while (pagesDone < pageCount) {
  const batch = Math.min(IN_FLIGHT, pageCount - submitted);
  const paths = Array.from({ length: batch }, (_, i) => images[(submitted + i) % images.length]);
  const response = await service.client.request('submit', { paths });
  if (!response.ok) throw new Error(`submit failed: ${response.error.message}`);
  submitted += batch;
  const ids = response.value.tasks.map((t) => t.id);
  const finals = await waitForFinal(service.client, ids, 30 * 60_000);
  for (const task of finals.values()) if (task.status !== 'completed') failed += 1;
  pagesDone += batch;
  process.stdout.write(`\r${pagesDone}/${pageCount} pages`);
}
clearInterval(sampler);
sample();
const elapsedS = (Date.now() - startedMs) / 1000;
process.stdout.write('\n');
await service.stop();
const leftAfterStop = countEntries(serviceTmp) + strayFiles(dataDir).length;
const leftNames = [...listEntries(serviceTmp), ...strayFiles(dataDir)].slice(0, 5);
rmSync(root, { recursive: true, force: true });

// Table: every sample, thinned to about 25 rows.
const step = Math.max(1, Math.ceil(samples.length / 25));
const rows = samples.filter((_, i) => i % step === 0 || i === samples.length - 1);
process.stdout.write('  time s   pages   RSS MB   open fds   temp files\n');
for (const s of rows) {
  process.stdout.write(
    `${String(s.elapsedS).padStart(8)}${String(s.pagesDone).padStart(8)}${String(s.rssMb).padStart(9)}` +
      `${String(s.fds).padStart(11)}${String(s.tempFiles).padStart(13)}\n`,
  );
}

const afterWarmUp = samples.filter((s) => s.pagesDone >= pageCount * WARM_UP_SHARE);
const firstQuarter = afterWarmUp.slice(0, Math.max(1, Math.floor(afterWarmUp.length / 4)));
const lastQuarter = afterWarmUp.slice(-Math.max(1, Math.floor(afterWarmUp.length / 4)));
const growth = (pick: (s: Sample) => number) =>
  median(lastQuarter.map(pick)) / median(firstQuarter.map(pick)) - 1;
const rssGrowth = growth((s) => s.rssMb);
const fdGrowth = growth((s) => s.fds);
const peakRss = Math.max(...samples.map((s) => s.rssMb));
process.stdout.write(
  [
    `Pages: ${pagesDone} in ${elapsedS.toFixed(0)} s (${(pagesDone / elapsedS).toFixed(2)} pages/s), ${failed} not completed`,
    `RSS after warm-up: ${median(firstQuarter.map((s) => s.rssMb))} MB -> ${median(lastQuarter.map((s) => s.rssMb))} MB (${(rssGrowth * 100).toFixed(1)}%), peak ${peakRss} MB`,
    `Open fds after warm-up: ${median(firstQuarter.map((s) => s.fds))} -> ${median(lastQuarter.map((s) => s.fds))} (${(fdGrowth * 100).toFixed(1)}%)`,
    `Temporary files: at most ${Math.max(...samples.map((s) => s.tempFiles))} during the run, ${leftAfterStop} left after it ${leftNames.join(', ')}`,
  ].join('\n') + '\n',
);
// A file made once at start (a library's own) is not a leak; more files than after warm-up is.
const tempAfterWarmUp = firstQuarter[0]?.tempFiles ?? 0;
const ok =
  rssGrowth <= MAX_GROWTH &&
  fdGrowth <= MAX_GROWTH &&
  leftAfterStop <= tempAfterWarmUp &&
  failed === 0;
process.stdout.write(
  ok ? 'Soak: flat, nothing leaked.\n' : 'Soak: FAILED (growth or leak above).\n',
);
process.exit(ok ? 0 : 1);
