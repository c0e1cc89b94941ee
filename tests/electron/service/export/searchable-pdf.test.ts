import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import type { ExportDocument, PageResult } from '../../../../shared/domain';
import { createEngine } from '../../../../electron/service/engine/index';
import type { OcrEngineApi } from '../../../../electron/service/engine/engine-api';
import { openPdfDocument } from '../../../../electron/service/engine/pdf-source';
import { writeExport } from '../../../../electron/service/export/index';
import { blocksFromTextLayer } from '../../../../electron/service/pdf/text-layer-blocks';
import { makeScannedPdf } from '../../../fixtures-gen/make-pdfs';
import { brokenMiddlePageTiff, loopingTiff } from '../../../hostile/byte-surgery';
import { encodeBmp } from '../engine/support/bmp-writer';
import {
  cerIgnoringSpace,
  makeBlock,
  makeLine,
  makePage,
  pdfPageCount,
  pdftotext,
  pdfWordBoxes,
  wordErrorRate,
  type BboxWord,
} from './page-fixtures';
import { CORPUS_DIR } from '../../../support/corpus-dir';

const CORPUS = CORPUS_DIR;
const TESTOCR = join(CORPUS, 'tesseractjs-clean/testocr.png');
const RECEIPT = join(CORPUS, 'sroie-receipts/sroie_000.jpg');
const FORM = join(CORPUS, 'funsd-forms/funsd_82092117.png');
/** pdftotext rounds and pads glyph boxes a little, in points. */
const TOLERANCE_PT = 1.5;

let engine: OcrEngineApi;
let dir: string;

before(async () => {
  engine = await createEngine({ workers: 1 });
  dir = await mkdtemp(join(tmpdir(), 'ocr-desk-searchable-'));
});

after(async () => {
  await engine?.close();
  await rm(dir, { recursive: true, force: true });
});

async function exportOne(sourcePath: string, pages: PageResult[], name: string) {
  const info = await engine.probe(sourcePath).catch(async () => {
    // The engine may not read PDFs yet; the PDF source gives the same header.
    const source = await openPdfDocument(sourcePath, { maxPixels: 100e6 });
    await source.close();
    return source.info;
  });
  const doc: ExportDocument = { sourcePath, info, pages };
  const out = join(dir, name);
  await writeExport('pdf', doc, out);
  return out;
}

/** Each word pdftotext finds lies inside the box (in points) of one of the page's lines. */
function assertWordsInsideLines(words: BboxWord[], pages: PageResult[]) {
  assert.ok(words.length > 0, 'pdftotext found no words');
  for (const word of words) {
    const page = pages.find((p) => p.pageIndex === word.page);
    assert.ok(page, `word "${word.text}" on a page without results`);
    const sx = word.pageWidth / page.widthPx;
    const sy = word.pageHeight / page.heightPx;
    const inside = page.blocks.some((block) =>
      block.lines.some(
        (line) =>
          word.xMin >= line.box.x * sx - TOLERANCE_PT &&
          word.xMax <= (line.box.x + line.box.width) * sx + TOLERANCE_PT &&
          word.yMin >= line.box.y * sy - TOLERANCE_PT &&
          word.yMax <= (line.box.y + line.box.height) * sy + TOLERANCE_PT,
      ),
    );
    assert.ok(inside, `word "${word.text}" at ${JSON.stringify(word)} lies outside every line box`);
  }
}

async function bilevelTiff(): Promise<string> {
  const path = join(dir, 'bilevel.tiff');
  await sharp(TESTOCR)
    .threshold(160)
    .toColourspace('b-w')
    .extractChannel(0)
    .tiff({ bitdepth: 1, compression: 'ccittfax4' })
    .toFile(path);
  return path;
}

describe('searchable PDF from corpus scans read by the engine', () => {
  test('pdftotext gives back the recognised text and each word sits inside its line', async (t) => {
    // The form's margins hold vertical noise read as words ("omeisdoo", "aodwAqunuoddo") that
    // pdftotext's word finder cuts in pieces: 6 of its 119 words today. On the other pages
    // every word must come back whole.
    const sources = [
      { source: TESTOCR, maxWer: 0 },
      { source: RECEIPT, maxWer: 0 },
      { source: FORM, maxWer: 0.08 },
      { source: await bilevelTiff(), maxWer: 0 },
    ];
    for (const [i, { source, maxWer }] of sources.entries()) {
      const result = await engine.recognizeDocument(source);
      assert.equal(result.pages.length, 1);
      const out = await exportOne(source, result.pages, `scan-${i}.pdf`);

      assert.equal(pdfPageCount(out), 1);
      const raw = pdftotext(['-raw'], out);
      const cer = cerIgnoringSpace(result.pages[0].text, raw);
      assert.ok(cer <= 0.01, `${source}: CER ${cer} between the result and pdftotext -raw`);
      // Words must come back as words too: none glued to its neighbour, none split.
      const wer = wordErrorRate(result.pages[0].text, raw);
      assert.ok(wer <= maxWer, `${source}: WER ${wer} between the result and pdftotext -raw`);
      const words = pdfWordBoxes(out);
      assertWordsInsideLines(words, result.pages);
      t.diagnostic(
        `${source}: CER ${(cer * 100).toFixed(2)}%, WER ${(wer * 100).toFixed(2)}%, ` +
          `${words.length} words in their lines`,
      );
    }
  });

  test('a JPEG scan keeps its own bytes; a black-and-white page is stored at one bit', async () => {
    const result = await engine.recognizeDocument(RECEIPT);
    const out = await exportOne(RECEIPT, result.pages, 'receipt.pdf');
    const prefix = join(dir, 'receipt-image');
    execFileSync('pdfimages', ['-j', out, prefix]);
    const extracted = (await readdir(dir)).filter((f) => f.startsWith('receipt-image'));
    assert.deepEqual(extracted, ['receipt-image-000.jpg']);
    assert.ok((await readFile(join(dir, extracted[0]))).equals(await readFile(RECEIPT)));

    const tiff = await bilevelTiff();
    const bilevel = await exportOne(tiff, (await engine.recognizeDocument(tiff)).pages, 'bw.pdf');
    const list = execFileSync('pdfimages', ['-list', bilevel], { encoding: 'utf8' });
    const row = list.trim().split('\n')[2].trim().split(/\s+/);
    // Columns: page num type width height color comp bpc ...
    assert.equal(row[5], 'gray');
    assert.equal(row[7], '1');
  });

  test('a scanned PDF keeps its pages and gets the text of each one', async () => {
    const scanned = join(dir, 'two-scans.pdf');
    await makeScannedPdf([TESTOCR, RECEIPT], scanned);
    const source = await openPdfDocument(scanned, { maxPixels: 100e6 });
    const pages: PageResult[] = [];
    for await (const page of source.pages()) {
      assert.ok('image' in page, 'page failed to render');
      pages.push(await engine.recognizeImage(page.image, page.index));
    }
    await source.close();

    const out = await exportOne(scanned, pages, 'two-scans-searchable.pdf');
    assert.equal(pdfPageCount(out), 2);
    for (const page of pages) {
      const n = String(page.pageIndex + 1);
      const text = pdftotext(['-raw', '-f', n, '-l', n], out);
      const cer = cerIgnoringSpace(page.text, text);
      assert.ok(cer <= 0.01, `page ${n}: CER ${cer}`);
    }
    assertWordsInsideLines(pdfWordBoxes(out), pages);
  });
});

describe('searchable PDF from a multi-page TIFF', () => {
  test('every page of the TIFF becomes a page with its own text', async () => {
    const tiff = join(dir, 'two-pages.tiff');
    const second = await sharp(join(CORPUS, 'tesseractjs-clean/simple.png'))
      .resize(640, 480, { fit: 'contain', background: '#fff' })
      .png()
      .toBuffer();
    await sharp([await sharp(TESTOCR).png().toBuffer(), second], { join: { animated: true } })
      .tiff({ compression: 'lzw' })
      .toFile(tiff);
    const result = await engine.recognizeDocument(tiff);
    assert.equal(result.pages.length, 2);
    const out = await exportOne(tiff, result.pages, 'two-pages.pdf');

    assert.equal(pdfPageCount(out), 2);
    for (const page of result.pages) {
      const n = String(page.pageIndex + 1);
      const cer = cerIgnoringSpace(page.text, pdftotext(['-raw', '-f', n, '-l', n], out));
      assert.ok(cer <= 0.01, `page ${n}: CER ${cer}`);
    }
    assert.notEqual(result.pages[0].text, result.pages[1].text);
    assertWordsInsideLines(pdfWordBoxes(out), result.pages);

    // A page that failed has no result, and a stored page count may miss it: the export
    // still has every page of the file, the failed one as a picture without text.
    const onlySecond = {
      sourcePath: tiff,
      info: { ...result.info, pageCount: 1 },
      pages: [result.pages[1]],
    };
    const partial = join(dir, 'two-pages-partial.pdf');
    await writeExport('pdf', onlySecond, partial);
    assert.equal(pdfPageCount(partial), 2);
    assert.equal(pdftotext(['-raw', '-f', '1', '-l', '1'], partial).trim(), '');
    assert.ok(
      cerIgnoringSpace(result.pages[1].text, pdftotext(['-raw', '-f', '2', '-l', '2'], partial)) <=
        0.01,
    );
  });
});

describe('searchable PDF from any image the engine reads', () => {
  const SIMPLE = join(CORPUS, 'tesseractjs-clean/simple.png');
  const COSMIC = join(CORPUS, 'tesseractjs-clean/cosmic.png');

  /** Exports what the engine read of `source`; each page read has its text in the PDF. */
  async function exportRead(source: string, name: string) {
    const result = await engine.recognizeDocument(source);
    const doc: ExportDocument = { sourcePath: source, info: result.info, pages: result.pages };
    const out = join(dir, name);
    const leftOut = await writeExport('pdf', doc, out);
    return { result, out, leftOut };
  }

  test('a BMP (which libvips cannot read) and a TIFF whose page list loops', async () => {
    const bmp = join(dir, 'page.bmp');
    await writeFile(bmp, await encodeBmp(sharp(TESTOCR).flatten({ background: '#fff' })));
    const looping = join(dir, 'looping.tiff');
    await writeFile(looping, await loopingTiff([SIMPLE, COSMIC]));

    for (const [source, pageCount] of [
      [bmp, 1],
      [looping, 2],
    ] as const) {
      const { result, out, leftOut } = await exportRead(source, `${basename(source)}.pdf`);
      assert.equal(result.pages.length, pageCount);
      assert.deepEqual(leftOut, []);
      assert.equal(pdfPageCount(out), pageCount);
      for (const page of result.pages) {
        const n = String(page.pageIndex + 1);
        const cer = cerIgnoringSpace(page.text, pdftotext(['-raw', '-f', n, '-l', n], out));
        assert.ok(cer <= 0.01, `${source} page ${n}: CER ${cer}`);
      }
    }
  });

  test('a TIFF page that cannot be decoded is left out and said; the other pages are kept', async () => {
    const tiff = join(dir, 'broken-middle.tiff');
    await writeFile(tiff, await brokenMiddlePageTiff([COSMIC, SIMPLE, COSMIC]));
    const { result, out, leftOut } = await exportRead(tiff, 'broken-middle.pdf');
    assert.deepEqual(
      result.pages.map((page) => page.pageIndex),
      [0, 2],
    );
    assert.deepEqual(leftOut, [1]);
    assert.equal(pdfPageCount(out), 2);
    const raw = pdftotext(['-raw'], out);
    assert.ok(cerIgnoringSpace(result.pages.map((p) => p.text).join('\n'), raw) <= 0.01, raw);
  });
});

describe('searchable PDF text in other scripts', () => {
  test('Chinese, full-width punctuation and a character beyond the BMP come back unchanged', async () => {
    const image = join(dir, 'blank.png');
    await sharp({ create: { width: 1200, height: 400, channels: 3, background: '#fff' } })
      .png()
      .toFile(image);
    const lines = [
      makeLine('光学字符识别 测试页', { x: 100, y: 80, width: 700, height: 60 }),
      makeLine('北京市，2024年（第一版）', { x: 100, y: 180, width: 900, height: 60 }),
      makeLine('Mixed 中文 and English 𠀀', { x: 100, y: 280, width: 800, height: 60 }),
    ];
    const page = makePage(0, 1200, 400, [makeBlock(lines)]);
    const out = await exportOne(image, [page], 'cjk.pdf');

    const raw = pdftotext(['-raw'], out);
    for (const line of lines) assert.ok(raw.includes(line.text), `missing ${line.text} in ${raw}`);
    assertWordsInsideLines(pdfWordBoxes(out), [page]);
  });
});

describe('a searchable PDF read back as a born-digital one', () => {
  test('its own text layer gives the lines of the result it was made from', async () => {
    const result = await engine.recognizeDocument(TESTOCR);
    const out = await exportOne(TESTOCR, result.pages, 'round-trip.pdf');

    const source = await openPdfDocument(out, { maxPixels: 50e6, dpi: 150 });
    const pages = [];
    for await (const page of source.pages()) pages.push(page);
    await source.close();
    const layer = 'image' in pages[0] ? pages[0].textLayer : undefined;
    assert.ok(layer, 'the searchable PDF has a text layer');
    const linesOf = (blocks: { lines: { text: string }[] }[]) =>
      blocks.flatMap((block) => block.lines.map((line) => line.text));
    assert.deepEqual(linesOf(blocksFromTextLayer(layer)), linesOf(result.pages[0].blocks));
  });
});
