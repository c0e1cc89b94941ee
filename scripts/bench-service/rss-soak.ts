/**
 * Memory over a long run through one service: its RSS read at every page completion, then
 * compared between page 50 (after warm-up) and the last page, and at rest: with the queue
 * paused at page 50 and the documents in hand finished, against the same once all are done. Two runs: the corpus documents
 * submitted as so many tasks, and the same pages in one generated scanned PDF (rendered by
 * pdf.js page by page, so that run also checks the task's progress moves one page at a time).
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeScannedPdf } from '../../tests/fixtures-gen/make-pdfs';
import {
  rssOfMb,
  runThrough,
  startService,
  type PageEvent,
  type ServiceChild,
} from './service-child';

/** The page after which the service counts as warmed up (models loaded, shapes seen). */
const WARM_PAGE = 50;
const MAX_GROWTH_PERCENT = 10;
/** How long the service sits idle before its resting RSS is read, in ms. */
const REST_MS = 3_000;

export async function soakDocuments(
  files: string[],
  pages: number,
  recycleAfterPages: number | null,
): Promise<void> {
  const recycling = recycleAfterPages ? `, instance recycled every ${recycleAfterPages} pages` : '';
  console.log(`\n== Soak: ${pages} pages through one service${recycling} ==`);
  const batch = Array.from({ length: pages }, (_, i) => files[i % files.length]);
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-soak-'));
  const service = await startService(
    dataDir,
    `queue:\n  maxSize: ${pages + 10}\n  timeoutMs: 86400000\n` +
      (recycleAfterPages ? `pool:\n  recycleAfterPages: ${recycleAfterPages}\n` : ''),
  );
  const pid = service.child.pid as number;
  const rssByPage: number[] = [];
  let restingAtWarm: Promise<RestingRss> | null = null;
  const started = performance.now();
  await runThrough(service, batch, ({ pagesDone }) => {
    rssByPage[pagesDone] = rssOfMb(pid) ?? 0;
    if (pagesDone % 50 === 0) console.log(`  page ${pagesDone}: RSS ${rssByPage[pagesDone]} MB`);
    if (pagesDone === WARM_PAGE && pages > WARM_PAGE) restingAtWarm = restingRss(service, true);
  });
  const restingAtEnd = await restingRss(service, false);
  const restedMs = (restingAtWarm ? REST_MS : 0) + REST_MS;
  await service.stop();
  rmSync(dataDir, { recursive: true, force: true });

  reportGrowth(rssByPage, pages, Math.min(files.length, 50));
  if (restingAtWarm) reportRestingGrowth(await restingAtWarm, restingAtEnd);
  const minutes = (performance.now() - started - restedMs) / 60_000;
  console.log(`${(pages / minutes).toFixed(1)} pages/min (idle pauses left out)`);
}

interface RestingRss {
  pagesDone: number;
  rssMb: number;
}

/**
 * The service's RSS with nothing in hand: the queue paused (when `pause`), the documents being
 * read finished, then REST_MS of idleness; the queue is resumed after the reading. Unlike a
 * reading taken mid-run, it does not depend on which documents happen to be in flight.
 */
async function restingRss(service: ServiceChild, pause: boolean): Promise<RestingRss> {
  const { client } = service;
  if (pause) await client.request('pauseQueue', {});
  for (;;) {
    const running = await client.request('listTasks', { statuses: ['running'], limit: 1 });
    if (!running.ok || running.value.total === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const done = await client.request('listTasks', { statuses: ['completed'], limit: 500 });
  const pagesDone = done.ok ? done.value.tasks.reduce((sum, task) => sum + task.pagesDone, 0) : 0;
  await new Promise((resolve) => setTimeout(resolve, REST_MS));
  const rssMb = rssOfMb(service.child.pid as number) ?? 0;
  if (pause) await client.request('resumeQueue', {});
  return { pagesDone, rssMb };
}

function reportRestingGrowth(atWarm: RestingRss, atEnd: RestingRss): void {
  const growth = ((atEnd.rssMb - atWarm.rssMb) / atWarm.rssMb) * 100;
  console.log(
    `RSS at rest after page ${atWarm.pagesDone}: ${atWarm.rssMb} MB; after page ` +
      `${atEnd.pagesDone}: ${atEnd.rssMb} MB; growth ${growth.toFixed(1)}% ` +
      `(target <= ${MAX_GROWTH_PERCENT}%)`,
  );
}

/**
 * One scanned PDF of `pages` pages, the corpus images in turn at 300 dpi (the service renders
 * them back at that resolution, so each page costs what its image does), read as one task.
 */
export async function soakPdf(files: string[], pages: number): Promise<void> {
  console.log(`\n== Soak: one generated ${pages}-page scanned PDF through one service ==`);
  const folder = mkdtempSync(join(tmpdir(), 'bench-soak-pdf-'));
  const pdfPath = join(folder, `scan-${pages}-pages.pdf`);
  const scans = files.filter((file) => !/\.pdf$/i.test(file));
  const images = Array.from({ length: pages }, (_, i) => scans[i % scans.length]);
  await makeScannedPdf(images, pdfPath, 300);
  console.log(`${pdfPath}: ${(statSync(pdfPath).size / 1e6).toFixed(1)} MB`);

  const service = await startService(join(folder, 'data'), '');
  const pid = service.child.pid as number;
  const rssByPage: number[] = [];
  const progress: { page: PageEvent; atMs: number }[] = [];
  const started = performance.now();
  const [task] = await runThrough(service, [pdfPath], (page) => {
    rssByPage[page.pagesDone] = rssOfMb(pid) ?? 0;
    progress.push({ page, atMs: performance.now() });
    if (page.pagesDone % 50 === 0)
      console.log(`  page ${page.pagesDone}: RSS ${rssByPage[page.pagesDone]} MB`);
  });
  await service.stop();
  rmSync(folder, { recursive: true, force: true });

  console.log(`task ${task.status}, ${task.pagesDone} of ${task.pagesTotal} pages`);
  reportGrowth(rssByPage, pages, Math.min(files.length, 50));
  reportProgress(progress, pages, started);
  console.log(`${(pages / ((performance.now() - started) / 60_000)).toFixed(1)} pages/min`);
}

function reportGrowth(rssByPage: number[], pages: number, cycle: number): void {
  if (pages <= WARM_PAGE) {
    console.log(`RSS at page ${pages}: ${rssByPage[pages]} MB (growth is measured past page 50)`);
    return;
  }
  const growth = (from: number, to: number) => (((to - from) / from) * 100).toFixed(1);
  const atWarm = rssByPage[WARM_PAGE];
  const atEnd = rssByPage[pages];
  console.log(`RSS at page ${WARM_PAGE}: ${atWarm} MB; at page ${pages}: ${atEnd} MB`);
  console.log(
    `RSS growth page ${WARM_PAGE} -> ${pages}: ${growth(atWarm, atEnd)}% ` +
      `(target <= ${MAX_GROWTH_PERCENT}%)`,
  );
  // A single reading depends on the document just read (a book page needs more than a
  // receipt); the peak over one pass of the corpus ending at each point compares like with like.
  const peak = (end: number) => Math.max(...rssByPage.slice(end - cycle + 1, end + 1));
  console.log(
    `peak RSS over the ${cycle} pages up to page ${WARM_PAGE}: ${peak(WARM_PAGE)} MB; ` +
      `up to page ${pages}: ${peak(pages)} MB; growth ${growth(peak(WARM_PAGE), peak(pages))}%`,
  );
}

/** Whether each page completion moved the task on by exactly one page, in page order. */
function reportProgress(
  progress: { page: PageEvent; atMs: number }[],
  pages: number,
  startedMs: number,
): void {
  const outOfStep = progress.filter(
    ({ page }, i) =>
      page.task.pagesDone !== i + 1 ||
      page.event.details.pageIndex !== i ||
      page.task.status !== 'running',
  );
  const gapsS = progress.map(({ atMs }, i) => (atMs - (progress[i - 1]?.atMs ?? startedMs)) / 1000);
  const sorted = [...gapsS].sort((a, b) => a - b);
  console.log(
    `progress: ${progress.length} page events for ${pages} pages, ` +
      (outOfStep.length === 0
        ? 'each one page further, in page order, while the task ran'
        : `${outOfStep.length} out of step (first at event ${progress.indexOf(outOfStep[0]) + 1})`),
  );
  console.log(
    `seconds between page events: first ${gapsS[0]?.toFixed(1)}, median ` +
      `${sorted[sorted.length >> 1]?.toFixed(1)}, longest ${sorted[sorted.length - 1]?.toFixed(1)}`,
  );
}
