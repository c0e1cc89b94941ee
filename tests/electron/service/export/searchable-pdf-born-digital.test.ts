import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { ExportDocument, PageResult } from '../../../../shared/domain';
import { openPdfDocument } from '../../../../electron/service/engine/pdf-source';
import { writeExport } from '../../../../electron/service/export/index';
import { blocksFromTextLayer } from '../../../../electron/service/pdf/text-layer-blocks';
import {
  BORN_DIGITAL_LINES,
  makeBornDigitalPdf,
  makeOwnerLockedPdf,
} from '../../../fixtures-gen/make-pdfs';
import { makePage, pdfPageCount, pdftotext, pdfWordBoxes, type BboxWord } from './page-fixtures';

let dir: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ocr-desk-born-digital-'));
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Reads the PDF as the engine would (rendered pages) and makes page results of its own text. */
async function resultsFromOwnText(path: string): Promise<ExportDocument> {
  const source = await openPdfDocument(path, { maxPixels: 50e6, dpi: 150 });
  const pages: PageResult[] = [];
  for await (const page of source.pages()) {
    assert.ok('image' in page && page.textLayer, `page ${page.index} has no text layer`);
    const blocks = blocksFromTextLayer(page.textLayer);
    pages.push(makePage(page.index, page.image.width, page.image.height, blocks));
  }
  await source.close();
  return { sourcePath: path, info: source.info, pages };
}

function imageCount(pdfPath: string): number {
  const list = execFileSync('pdfimages', ['-list', pdfPath], { encoding: 'utf8' });
  return list.trim().split('\n').length - 2;
}

test('a born-digital PDF keeps its own pages: vector text, no added picture', async () => {
  const input = join(dir, 'born-digital.pdf');
  await makeBornDigitalPdf(input);
  const doc = await resultsFromOwnText(input);
  const out = join(dir, 'born-digital-searchable.pdf');
  await writeExport('pdf', doc, out);

  assert.equal(pdfPageCount(out), 2);
  assert.equal(imageCount(out), 0);
  const fonts = execFileSync('pdffonts', [out], { encoding: 'utf8' });
  assert.match(fonts, /Courier/, 'the original vector font is gone');
  const text = pdftotext(['-raw', '-f', '1', '-l', '1'], out);
  for (const line of BORN_DIGITAL_LINES) {
    // Once from the original text, once from the OCR layer we added over it.
    assert.equal(text.split(line).length - 1, 2, `expected "${line}" twice in ${text}`);
  }
});

test('pages whose own text was kept get no second copy of it', async () => {
  const input = join(dir, 'kept-text.pdf');
  await makeBornDigitalPdf(input);
  const doc = await resultsFromOwnText(input);
  const kept = { ...doc, pages: doc.pages.map((p) => ({ ...p, textSource: 'pdf-text' as const })) };
  const out = join(dir, 'kept-text-searchable.pdf');
  await writeExport('pdf', kept, out);

  assert.equal(pdfPageCount(out), 2);
  const text = pdftotext(['-raw', '-f', '1', '-l', '1'], out);
  for (const line of BORN_DIGITAL_LINES) {
    assert.equal(text.split(line).length - 1, 1, `expected "${line}" once in ${text}`);
  }
});

/**
 * On rotated and cropped pages, the text we add must land where pdf.js drew the page for OCR.
 * The text read from a PDF is laid over a blank twin of it (same pages, no text), so that
 * pdftotext sees only our words, and each must coincide with the same word of the original.
 */
for (const rotation of [0, 90, 180, 270]) {
  test(`text over a page with /Rotate ${rotation} and a crop box lands on the original words`, async () => {
    const original = join(dir, `rotated-${rotation}.pdf`);
    const blank = join(dir, `rotated-${rotation}-blank.pdf`);
    await makeBornDigitalPdf(original, { rotation, cropInsetPt: 20 });
    await makeBornDigitalPdf(blank, { rotation, cropInsetPt: 20, withoutText: true });
    const fromOriginal = await resultsFromOwnText(original);
    const out = join(dir, `rotated-${rotation}-searchable.pdf`);
    await writeExport('pdf', { ...fromOriginal, sourcePath: blank }, out);

    const expected = pdfWordBoxes(original).filter((w) => w.page === 0);
    const ours = pdfWordBoxes(out).filter((w) => w.page === 0);
    assert.deepEqual(ours.map((w) => w.text).sort(), expected.map((w) => w.text).sort());
    // The font is fixed-pitch, so the words read from the PDF are placed exactly.
    assertWordsNear(expected, ours);
  });
}

function centreDistance(a: BboxWord, b: BboxWord): number {
  return Math.hypot(
    (a.xMin + a.xMax) / 2 - (b.xMin + b.xMax) / 2,
    (a.yMin + a.yMax) / 2 - (b.yMin + b.yMax) / 2,
  );
}

test('a PDF pdf-lib cannot copy (owner-password encrypted) becomes pictures with the text over them', async () => {
  const input = join(dir, 'owner-locked.pdf');
  await makeOwnerLockedPdf(input);
  // Kept as the PDF's own text: the pictures have lost it, so the layer must carry it.
  const ownText = await resultsFromOwnText(input);
  const doc = {
    ...ownText,
    pages: ownText.pages.map((p) => ({ ...p, textSource: 'pdf-text' as const })),
  };
  const out = join(dir, 'owner-locked-searchable.pdf');
  await writeExport('pdf', doc, out);

  assert.equal(pdfPageCount(out), 2);
  assert.equal(imageCount(out), 2, 'each page should be one picture');
  const info = execFileSync('pdfinfo', [out], { encoding: 'utf8' });
  assert.match(info, /Page size:\s+612 x 792 pts/);
  assert.doesNotMatch(info, /Encrypted:\s+yes/);
  const text = pdftotext(['-raw', '-f', '1', '-l', '1'], out);
  for (const line of BORN_DIGITAL_LINES) {
    assert.equal(text.split(line).length - 1, 1, `expected "${line}" once in ${text}`);
  }
  assertWordsNear(pdfWordBoxes(input), pdfWordBoxes(out));
});

/** Every word of `expected` has a word of the same text within 2 pt in `actual`. */
function assertWordsNear(expected: BboxWord[], actual: BboxWord[]) {
  for (const word of expected) {
    const candidates = actual.filter((w) => w.page === word.page && w.text === word.text);
    const offPt = Math.min(...candidates.map((w) => centreDistance(w, word)));
    assert.ok(offPt < 2, `"${word.text}" on page ${word.page + 1}: ${offPt.toFixed(1)} pt off`);
  }
}
