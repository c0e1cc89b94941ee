/**
 * A scanned PDF through the service with the real engine: the task's progress moves one page
 * at a time, in page order, while the task runs, each page stored as it is announced.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { ServiceEvent, Task, TaskDetail } from '../../../shared/contract';
import { cpuDevice } from '../../../electron/service/devices/device-discovery';
import { makeScannedPdf } from '../../fixtures-gen/make-pdfs';
import { COSMIC_PNG, SIMPLE_PNG, TESTOCR_PNG, tempDataDir } from './helpers/corpus';
import { startInProcess, type InProcessService } from './helpers/in-process';

/** The pages, in order, and a word each must be read with. */
const PAGES = [
  { image: TESTOCR_PNG, word: 'quick' },
  { image: SIMPLE_PNG, word: 'Tesseract' },
  { image: COSMIC_PNG, word: 'Cosmic' },
  { image: TESTOCR_PNG, word: 'format' },
  { image: COSMIC_PNG, word: 'beyond' },
  { image: SIMPLE_PNG, word: 'Tesseract' },
];

let s: InProcessService | null = null;
after(() => s?.close());

test('a scanned PDF reports its progress page by page', async () => {
  const dir = tempDataDir('ocr-desk-pdf-progress-');
  const pdfPath = join(dir, 'scan.pdf');
  await makeScannedPdf(
    PAGES.map((p) => p.image),
    pdfPath,
  );
  s = await startInProcess({ dataDir: join(dir, 'data'), devices: [cpuDevice()] });
  const { client } = s;

  const pageEvents: { task: Task; pageIndex: unknown }[] = [];
  let seenAtFirstPage: Promise<TaskDetail> | null = null;
  let finish: (task: Task) => void = () => undefined;
  const finished = new Promise<Task>((resolve) => (finish = resolve));
  client.subscribe((event: ServiceEvent) => {
    if (event.kind !== 'task_event') return;
    if (event.event.type === 'page_completed') {
      pageEvents.push({ task: event.task, pageIndex: event.event.details.pageIndex });
      // Asked at once: if pages were announced together at the end, the answer would show
      // the task done; announced as each is read, the rest are still to come.
      seenAtFirstPage ??= client
        .request('getTask', { taskId: event.task.id, includeResults: true })
        .then((r) => (assert.ok(r.ok), r.value));
    }
    if (['completed', 'failed', 'cancelled'].includes(event.event.type)) finish(event.task);
  });

  const submitted = await client.request('submit', { paths: [pdfPath] });
  assert.ok(submitted.ok);
  assert.equal(submitted.value.tasks[0].pagesTotal, PAGES.length);
  const final = await finished;
  assert.equal(final.status, 'completed');
  assert.equal(final.pagesDone, PAGES.length);

  assert.deepEqual(
    pageEvents.map((e) => [e.pageIndex, e.task.pagesDone, e.task.pagesTotal, e.task.status]),
    PAGES.map((_, i) => [i, i + 1, PAGES.length, 'running']),
  );
  const early = await (seenAtFirstPage as Promise<TaskDetail> | null);
  assert.ok(early);
  assert.equal(early.task.status, 'running');
  assert.ok(early.task.pagesDone < PAGES.length, `${early.task.pagesDone} pages done at once`);
  assert.equal(early.pages.length, early.task.pagesDone, 'each page is stored as it is announced');

  const detail = await client.request('getTask', { taskId: final.id, includeResults: true });
  assert.ok(detail.ok);
  detail.value.pages.forEach((page, i) => {
    assert.equal(page.pageIndex, i);
    assert.match(page.text, new RegExp(PAGES[i].word), `page ${i + 1}: ${page.text}`);
  });
});
