import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';
import { openPdfDocument } from '../../../../electron/service/engine/pdf-source';

const PAGE_COUNT = 300;
/** Low enough to keep the test short; memory per page scales with it, leaks would still show. */
const DPI = 100;

let dir: string;
let path: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ocr-desk-long-pdf-'));
  path = join(dir, 'long-scan.pdf');
  // Built in another process, so this one's memory holds nothing but the reading.
  const cli = join(import.meta.dirname, '../../../fixtures-gen/make-pdfs-cli.ts');
  await promisify(execFile)(process.execPath, [
    '--import',
    'tsx',
    cli,
    'long',
    path,
    String(PAGE_COUNT),
    String(DPI),
  ]);
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('a 300-page scan is read page by page with flat memory', async (t) => {
  const source = await openPdfDocument(path, { maxPixels: 50e6, dpi: DPI });
  assert.equal(source.info.pageCount, PAGE_COUNT);
  const rssMb = () => process.memoryUsage().rss / 1024 / 1024;
  const rssAtPage = new Map<number, number>();
  let expected = 0;
  let peakMb = 0;
  const started = performance.now();
  for await (const page of source.pages()) {
    assert.equal(page.index, expected++, 'pages must come in order, one at a time');
    assert.ok('image' in page, `page ${page.index + 1} failed`);
    assert.deepEqual([page.image.width, page.image.height], [850, 1100]);
    const now = rssMb();
    peakMb = Math.max(peakMb, now);
    if ((page.index + 1) % 50 === 0) rssAtPage.set(page.index + 1, now);
  }
  await source.close();
  const msPerPage = (performance.now() - started) / PAGE_COUNT;

  const at50 = rssAtPage.get(50) ?? NaN;
  const at300 = rssAtPage.get(300) ?? NaN;
  const growth = (at300 - at50) / at50;
  const figures = [...rssAtPage].map(([page, mb]) => `p${page} ${mb.toFixed(0)} MB`).join(', ');
  t.diagnostic(
    `RSS ${figures}; peak ${peakMb.toFixed(0)} MB; ${msPerPage.toFixed(0)} ms/page at ${DPI} dpi`,
  );
  t.diagnostic(`RSS growth from page 50 to page 300: ${(growth * 100).toFixed(1)}%`);
  assert.equal(expected, PAGE_COUNT);
  assert.ok(growth <= 0.1, `RSS grew ${(growth * 100).toFixed(1)}% from page 50 to page 300`);
});
