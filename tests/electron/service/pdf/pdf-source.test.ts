import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import type { SourcePage } from '../../../../electron/service/engine/document-source';
import { openPdfDocument } from '../../../../electron/service/engine/pdf-source';
import { OcrError } from '../../../../shared/errors';
import { BORN_DIGITAL_LINES, makeAllPdfFixtures } from '../../../fixtures-gen/make-pdfs';
import { CORPUS_DIR } from '../../../support/corpus-dir';

const CORPUS = CORPUS_DIR;
const SCANS = [
  join(CORPUS, 'sroie-receipts/sroie_000.jpg'),
  join(CORPUS, 'tesseractjs-clean/testocr.png'),
];
const MAX_PIXELS = 100e6;

let dir: string;
let fixtures: Awaited<ReturnType<typeof makeAllPdfFixtures>>;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ocr-desk-pdf-source-'));
  fixtures = await makeAllPdfFixtures(dir, SCANS);
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function readAll(path: string, options: Parameters<typeof openPdfDocument>[1]) {
  const source = await openPdfDocument(path, options);
  const pages: SourcePage[] = [];
  try {
    for await (const page of source.pages()) pages.push(page);
  } finally {
    await source.close();
  }
  return { info: source.info, pages };
}

async function rejectsWithCode(work: Promise<unknown>, code: string) {
  await assert.rejects(work, (error: unknown) => {
    assert.ok(error instanceof OcrError, `expected an OcrError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    return true;
  });
}

function imageOf(page: SourcePage) {
  assert.ok(
    'image' in page,
    `page ${page.index} failed: ${'error' in page ? page.error.message : ''}`,
  );
  return page;
}

describe('scanned PDF', () => {
  test('each page renders at 300 dpi to the scan it wraps, with no text layer', async () => {
    const { info, pages } = await readAll(fixtures.scanned, { maxPixels: MAX_PIXELS });
    assert.equal(info.format, 'pdf');
    assert.equal(info.pageCount, 2);
    assert.equal(pages.length, 2);

    for (const [i, scan] of SCANS.entries()) {
      const page = imageOf(pages[i]);
      assert.equal(page.textLayer, undefined);
      const original = await sharp(scan).removeAlpha().raw().toBuffer({ resolveWithObject: true });
      // The scan was wrapped at 300 dpi, so the page comes back at its own pixel size.
      assert.ok(Math.abs(page.image.width - original.info.width) <= 1);
      assert.ok(Math.abs(page.image.height - original.info.height) <= 1);
      assert.equal(page.image.data.length, page.image.width * page.image.height * 3);
      const resized = await sharp(Buffer.from(page.image.data), {
        raw: { width: page.image.width, height: page.image.height, channels: 3 },
      })
        .resize(original.info.width, original.info.height, { fit: 'fill' })
        .raw()
        .toBuffer();
      let diff = 0;
      for (let p = 0; p < resized.length; p++) diff += Math.abs(resized[p] - original.data[p]);
      const meanDiff = diff / resized.length;
      assert.ok(
        meanDiff < 12,
        `page ${i + 1} differs from its scan by ${meanDiff.toFixed(1)} levels`,
      );
    }
  });

  test('dpi and the pixel limit set the rendered size', async () => {
    const low = await readAll(fixtures.bornDigital, { maxPixels: MAX_PIXELS, dpi: 100 });
    const page = imageOf(low.pages[0]);
    assert.deepEqual([page.image.width, page.image.height], [850, 1100]);
    assert.deepEqual(page.warnings, []);

    const capped = await readAll(fixtures.bornDigital, { maxPixels: 1_000_000 });
    const small = imageOf(capped.pages[0]);
    assert.ok(small.image.width * small.image.height <= 1_000_000);
    assert.ok(small.image.width > 800, `${small.image.width} px is smaller than the limit needs`);
    assert.equal(small.warnings?.length, 1);
    assert.ok(capped.info.widthPx * capped.info.heightPx <= 1_000_000);
  });
});

describe('born-digital PDF', () => {
  test('its own text and where it sits are given with the rendered page', async () => {
    const { pages } = await readAll(fixtures.bornDigital, { maxPixels: MAX_PIXELS, dpi: 150 });
    assert.equal(pages.length, 2);
    const page = imageOf(pages[0]);
    assert.ok(page.textLayer, 'no text layer found');
    assert.deepEqual(page.textLayer.text.split('\n'), BORN_DIGITAL_LINES);

    // The first line is drawn at x = 72 pt, baseline 700 pt up a 792 pt page, 16 pt Courier.
    const first = page.textLayer.items[0];
    assert.ok(Math.abs(first.box.x - 150) <= 2, `x ${first.box.x}`);
    const baselinePx = (792 - 700) * (150 / 72);
    assert.ok(first.box.y < baselinePx && first.box.y + first.box.height > baselinePx);

    // The text is really drawn there (dark pixels), and the page around it is white.
    const { width, data } = page.image;
    const darkIn = (box: { x: number; y: number; width: number; height: number }) => {
      let dark = 0;
      for (let y = Math.floor(box.y); y < box.y + box.height; y++) {
        for (let x = Math.floor(box.x); x < box.x + box.width; x++) {
          if (data[(y * width + x) * 3] < 128) dark++;
        }
      }
      return dark;
    };
    assert.ok(darkIn(first.box) > 200, 'the first line was not drawn');
    assert.equal(darkIn({ x: 0, y: 0, width: 100, height: 100 }), 0);
  });

  test('pages can be asked for out of order, and a page that does not exist fails alone', async () => {
    const source = await openPdfDocument(fixtures.bornDigital, { maxPixels: MAX_PIXELS, dpi: 72 });
    const pages: SourcePage[] = [];
    for await (const page of source.pages([1, 7, 0])) pages.push(page);
    await source.close();
    assert.deepEqual(
      pages.map((p) => p.index),
      [1, 7, 0],
    );
    assert.match(imageOf(pages[0]).textLayer?.text ?? '', /continued/);
    assert.ok('error' in pages[1] && pages[1].error.code === 'invalid_input');
    assert.doesNotMatch(imageOf(pages[2]).textLayer?.text ?? '', /continued/);
  });
});

describe('scans that carry some text of their own', () => {
  test('a stamp or footer on a scan does not make it born-digital: the page goes to OCR', async () => {
    const { pages } = await readAll(fixtures.stampedScan, { maxPixels: MAX_PIXELS, dpi: 72 });
    const page = imageOf(pages[0]);
    assert.equal(page.textLayer, undefined);
    assert.ok(
      page.warnings?.some((w) => /read by OCR/.test(w)),
      String(page.warnings),
    );
  });

  test('a scan with an earlier OCR layer over it keeps that text', async () => {
    const { pages } = await readAll(fixtures.ocrdScan, { maxPixels: MAX_PIXELS, dpi: 72 });
    const page = imageOf(pages[0]);
    assert.ok(page.textLayer, 'the OCR layer was not kept');
    assert.match(page.textLayer.text, /harbour office/);
  });
});

describe('PDFs that cannot be read', () => {
  test('an encrypted PDF fails as encrypted_document', async () => {
    await rejectsWithCode(
      openPdfDocument(fixtures.encrypted, { maxPixels: MAX_PIXELS }),
      'encrypted_document',
    );
  });

  test('a truncated, empty, missing or fake PDF fails with a clear code', async () => {
    await rejectsWithCode(
      openPdfDocument(fixtures.truncated, { maxPixels: MAX_PIXELS }),
      'invalid_input',
    );
    const empty = join(dir, 'empty.pdf');
    await writeFile(empty, '');
    await rejectsWithCode(openPdfDocument(empty, { maxPixels: MAX_PIXELS }), 'invalid_input');
    const fake = join(dir, 'fake.pdf');
    await writeFile(fake, '%PDF-1.7\nthis is not a PDF at all\n');
    await rejectsWithCode(openPdfDocument(fake, { maxPixels: MAX_PIXELS }), 'invalid_input');
    await rejectsWithCode(
      openPdfDocument(join(dir, 'missing.pdf'), { maxPixels: MAX_PIXELS }),
      'file_not_found',
    );
  });

  test('a page painting a zero-size image ends quickly, as a blank page', async () => {
    const started = Date.now();
    const { pages } = await readAll(fixtures.zeroSizeImage, {
      maxPixels: MAX_PIXELS,
      pageTimeoutMs: 10_000,
    });
    assert.ok(Date.now() - started < 10_000);
    const page = imageOf(pages[0]);
    assert.ok(
      page.image.data.every((v) => v === 255),
      'the page should be blank',
    );
  });

  test('a broken page fails alone; the pages around it are read', async () => {
    const { info, pages } = await readAll(fixtures.brokenPage, { maxPixels: MAX_PIXELS, dpi: 72 });
    assert.equal(info.pageCount, 3);
    assert.equal(pages.length, 3);
    assert.match(imageOf(pages[0]).textLayer?.text ?? '', /Page number 1/);
    assert.ok('error' in pages[1], 'page 2 should fail');
    assert.equal(pages[1].error.code, 'invalid_input');
    assert.match(pages[1].error.message, /Page 2/);
    assert.match(imageOf(pages[2]).textLayer?.text ?? '', /Page number 3/);
  });

  test('a page that renders longer than its timeout fails with timeout', async () => {
    const { pages } = await readAll(fixtures.bornDigital, {
      maxPixels: MAX_PIXELS,
      pageTimeoutMs: 1,
    });
    assert.equal(pages.length, 2);
    for (const page of pages) {
      assert.ok('error' in page, 'a 300 dpi page cannot render in 1 ms');
      assert.equal(page.error.code, 'timeout');
    }
  });
});

test('an aborted task stops between pages with cancelled', async () => {
  const controller = new AbortController();
  const source = await openPdfDocument(fixtures.bornDigital, {
    maxPixels: MAX_PIXELS,
    dpi: 72,
    signal: controller.signal,
  });
  const seen: number[] = [];
  await assert.rejects(
    (async () => {
      for await (const page of source.pages()) {
        seen.push(page.index);
        controller.abort();
      }
    })(),
    (error: unknown) => error instanceof OcrError && error.code === 'cancelled',
  );
  await source.close();
  assert.deepEqual(seen, [0]);
});

test('without a render worker, pages render in this thread with the same results', async () => {
  const inWorker = await readAll(fixtures.brokenPage, { maxPixels: MAX_PIXELS, dpi: 72 });
  const inThread = await readAll(fixtures.brokenPage, {
    maxPixels: MAX_PIXELS,
    dpi: 72,
    renderIn: 'thread',
  });
  assert.deepEqual(inThread.info, inWorker.info);
  assert.equal(inThread.pages.length, 3);
  for (const [i, page] of inThread.pages.entries()) {
    const other = inWorker.pages[i];
    if ('error' in page) {
      assert.ok('error' in other);
      assert.equal(page.error.code, other.error.code);
      continue;
    }
    assert.ok('image' in other);
    assert.ok(
      Buffer.from(page.image.data).equals(Buffer.from(other.image.data)),
      `page ${i + 1} differs`,
    );
    assert.equal(page.textLayer?.text, other.textLayer?.text);
  }
  await rejectsWithCode(
    openPdfDocument(fixtures.encrypted, { maxPixels: MAX_PIXELS, renderIn: 'thread' }),
    'encrypted_document',
  );
});
