/**
 * The engine reads the same page whatever file it arrives in: real models on variants of a real
 * corpus page (formats, bit depths, transparency, orientation, several pages, size, layout),
 * checked the way a user would check them: the text, the page size, the turn, where lines are.
 * One engine serves the whole file; the variants are built in a temporary folder.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import type { PageResult } from '../../../../shared/domain';
import {
  detectorSize,
  initialDetectionScale,
  planTiles,
} from '../../../../electron/service/engine/detection-plan';
import { createEngine, type OcrEngineApi } from '../../../../electron/service/engine/index';
import { groundTruthOf } from './support/corpus-files';
import {
  buildPageVariants,
  COSMIC,
  SIMPLE,
  SMALL_TYPE_SCALES,
  STRIP_COPIES,
  TESTOCR,
  type PageVariants,
} from './support/page-variants';
import { assertLinesFollow } from './support/page-geometry';
import { assertReadsLike, textAccuracy } from './support/text-accuracy';

const TESTOCR_TRUTH = groundTruthOf(TESTOCR);

let engine: OcrEngineApi;
let dir: string;
let variants: PageVariants;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ocr-desk-engine-decoding-'));
  [engine, variants] = await Promise.all([createEngine(), buildPageVariants(dir)]);
});

after(async () => {
  await engine?.close();
  await rm(dir, { recursive: true, force: true });
});

async function readOnePage(path: string): Promise<PageResult> {
  const result = await engine.recognizeDocument(path);
  assert.deepEqual(result.pageErrors, []);
  assert.equal(result.pages.length, 1);
  return result.pages[0];
}

describe('page result', () => {
  test('a clean page gives its text, lines and words in place, confidence, timings and memory', async () => {
    const page = await readOnePage(TESTOCR);

    assertReadsLike(page.text, TESTOCR_TRUTH, 'testocr.png');
    assertLinesFollow(page, 'right');
    const lineTexts = page.blocks.flatMap((b) => b.lines.map((l) => l.text));
    assert.equal(
      page.text.replace(/\s+/g, ' '),
      lineTexts.join(' '),
      'the text is the lines in order',
    );
    assert.ok(page.confidence > 0.9 && page.confidence <= 1, `confidence ${page.confidence}`);
    assert.deepEqual(page.warnings, []);

    const t = page.timingsMs;
    for (const [stage, ms] of Object.entries(t)) assert.ok(ms >= 0, `${stage}: ${ms} ms`);
    assert.ok(t.detect > 0 && t.recognize > 0 && t.inference > 0);
    assert.ok(t.total >= t.detect + t.recognize, JSON.stringify(t));
    assert.ok(t.inference <= t.total, JSON.stringify(t));
    assert.ok(page.rssMb > 50 && page.rssMb < 4000, `${page.rssMb} MB`);
  });

  test('an already decoded page reads the same as its file', async () => {
    const { data, info } = await sharp(TESTOCR)
      .flatten({ background: '#ffffff' })
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });

    const page = await engine.recognizeImage({ data, width: info.width, height: info.height }, 4);

    assert.equal(page.pageIndex, 4);
    assert.deepEqual([page.widthPx, page.heightPx], [640, 480]);
    assertReadsLike(page.text, TESTOCR_TRUTH, 'recognizeImage');
  });

  test('with its memory use lowered (after an out-of-memory error) a page still reads', async () => {
    const result = await engine.recognizeDocument(variants.multiPageTiff, {
      memoryReductionFactor: 0.25,
      pages: [0],
    });
    assertReadsLike(result.pages[0].text, TESTOCR_TRUTH, 'memory reduction 0.25');
  });
});

describe('orientation', () => {
  for (const orientation of [3, 6, 8] as const) {
    test(`a JPEG with EXIF orientation ${orientation} reads upright, at its size after orientation`, async () => {
      const path = variants.exifJpegs[orientation];
      const info = await engine.probe(path);
      assert.deepEqual([info.widthPx, info.heightPx], [640, 480]);

      const page = await readOnePage(path);

      assert.deepEqual([page.widthPx, page.heightPx], [640, 480]);
      assert.equal(page.rotation, 0, 'the EXIF tag already turned it upright');
      assertReadsLike(page.text, TESTOCR_TRUTH, `EXIF orientation ${orientation}`);
      assertLinesFollow(page, 'right');
    });
  }

  // `rotation` is the clockwise turn that makes the text upright: a page turned 90° clockwise
  // needs 270° more.
  const turns = [
    {
      name: '90° clockwise',
      file: () => variants.turned90Png,
      rotation: 270,
      size: [480, 640],
      reads: 'down',
    },
    {
      name: '270° clockwise',
      file: () => variants.turned270Png,
      rotation: 90,
      size: [480, 640],
      reads: 'up',
    },
    {
      name: 'upside down',
      file: () => variants.turned180Png,
      rotation: 180,
      size: [640, 480],
      reads: 'left',
    },
  ] as const;

  for (const turn of turns) {
    test(`a page turned ${turn.name} is read upright and says how it was turned`, async () => {
      const page = await readOnePage(turn.file());

      assert.deepEqual([page.widthPx, page.heightPx], turn.size);
      assert.equal(page.rotation, turn.rotation);
      assert.ok(page.warnings.some((w) => w.code === 'page_rotated'));
      assertReadsLike(page.text, TESTOCR_TRUTH, `page turned ${turn.name}`);
      assertLinesFollow(page, turn.reads);
    });
  }
});

describe('pixel formats', () => {
  const cases = [
    {
      name: 'a grey + alpha PNG whose transparent paper hides black',
      file: () => variants.greyAlphaPng,
    },
    {
      name: 'a transparent PNG whose text is only in the alpha channel',
      file: () => variants.transparentPng,
    },
    { name: 'a CMYK JPEG', file: () => variants.cmykJpeg },
    { name: 'a 16-bit RGB PNG', file: () => variants.rgb16Png },
    { name: 'a 16-bit grey PNG', file: () => variants.grey16Png },
    { name: 'a BMP', file: () => variants.bmp },
    { name: 'a GIF', file: () => variants.gif },
    { name: 'a WebP', file: () => variants.webp },
  ];

  for (const { name, file } of cases) {
    test(`${name} reads as the original page`, async () => {
      const page = await readOnePage(file());
      assert.deepEqual([page.widthPx, page.heightPx], [640, 480]);
      assertReadsLike(page.text, TESTOCR_TRUTH, name);
    });
  }
});

describe('multi-frame files', () => {
  test('every page of a multi-page TIFF is read, in order, each with its own text', async () => {
    const delivered: number[] = [];
    const result = await engine.recognizeDocument(variants.multiPageTiff, {
      onPage: (page) => delivered.push(page.pageIndex),
    });

    assert.equal(result.info.format, 'tiff');
    assert.equal(result.info.pageCount, 3);
    assert.deepEqual(result.pageErrors, []);
    assert.deepEqual(
      result.pages.map((p) => p.pageIndex),
      [0, 1, 2],
    );
    assert.deepEqual(delivered, [0, 1, 2]);
    const sources = [TESTOCR, SIMPLE, COSMIC];
    result.pages.forEach((page, i) => {
      assertReadsLike(page.text, groundTruthOf(sources[i]), `TIFF page ${i + 1}`);
    });
  });

  test('a TIFF of pages of different sizes gives each page its own size, and the largest in its info', async () => {
    const result = await engine.recognizeDocument(variants.mixedSizeTiff);

    assert.deepEqual(
      result.pages.map((p) => [p.widthPx, p.heightPx]),
      [
        [320, 180],
        [640, 480],
        [400, 400],
      ],
    );
    [SIMPLE, TESTOCR, COSMIC].forEach((source, i) => {
      assertReadsLike(result.pages[i].text, groundTruthOf(source), `mixed-size TIFF page ${i + 1}`);
    });
    // DocumentInfo promises the size of the largest page (memory estimates rely on it).
    assert.deepEqual([result.info.widthPx, result.info.heightPx], [640, 480]);
  });

  test('the pages asked for, and only those, are read', async () => {
    const result = await engine.recognizeDocument(variants.multiPageTiff, { pages: [2] });
    assert.deepEqual(
      result.pages.map((p) => p.pageIndex),
      [2],
    );
    assertReadsLike(result.pages[0].text, groundTruthOf(COSMIC), 'TIFF page 3 alone');
  });

  test('an animated GIF is one page: its first frame', async () => {
    const result = await engine.recognizeDocument(variants.animatedGif);
    assert.equal(result.info.pageCount, 1);
    assert.equal(result.pages.length, 1);
    assertReadsLike(result.pages[0].text, TESTOCR_TRUTH, 'first GIF frame');
  });
});

describe('cancellation', () => {
  test('a read aborted after its first page stops with code cancelled, before the last page', async () => {
    const controller = new AbortController();
    const delivered: number[] = [];
    const reading = engine.recognizeDocument(variants.multiPageTiff, {
      signal: controller.signal,
      onPage: (page) => {
        delivered.push(page.pageIndex);
        controller.abort();
      },
    });

    await assert.rejects(reading, (error: { code?: unknown }) => error.code === 'cancelled');
    assert.equal(delivered[0], 0);
    assert.ok(!delivered.includes(2), `pages delivered: ${delivered.join(', ')}`);
  });
});

describe('one engine, several documents', () => {
  test('documents read at the same time each get their own pages and text', async () => {
    const [tiff, turned, cosmic] = await Promise.all([
      engine.recognizeDocument(variants.multiPageTiff),
      engine.recognizeDocument(variants.turned90Png),
      engine.recognizeDocument(COSMIC),
    ]);

    assert.deepEqual(
      tiff.pages.map((p) => p.pageIndex),
      [0, 1, 2],
    );
    [TESTOCR, SIMPLE, COSMIC].forEach((source, i) => {
      assertReadsLike(
        tiff.pages[i].text,
        groundTruthOf(source),
        `TIFF page ${i + 1}, read alongside`,
      );
    });
    assert.equal(turned.pages[0].rotation, 270);
    assertReadsLike(turned.pages[0].text, TESTOCR_TRUTH, 'turned page, read alongside');
    assertReadsLike(cosmic.pages[0].text, groundTruthOf(COSMIC), 'cosmic, read alongside');
  });
});

describe('page size', () => {
  test('a long strip, cut into detection tiles, has every line read once and at full size', async () => {
    // The premise: at its detection scale this page is more than one tile.
    const scale = initialDetectionScale(640, 480 * STRIP_COPIES);
    const size = detectorSize(640, 480 * STRIP_COPIES, scale);
    assert.ok(planTiles(size.width, size.height).length > 1, 'the strip is tiled');

    const page = await readOnePage(variants.longStripPng);

    const truthLines = TESTOCR_TRUTH.split('\n').filter((l) => l.trim().length > 0);
    const lines = page.blocks.flatMap((b) => b.lines);
    assert.equal(lines.length, truthLines.length * STRIP_COPIES, page.text);
    const { cer } = textAccuracy(Array(STRIP_COPIES).fill(TESTOCR_TRUTH).join('\n'), page.text);
    assert.ok(cer <= 0.01, `CER ${(cer * 100).toFixed(2)}%`);
    assert.ok(!page.warnings.some((w) => w.code === 'page_scaled_down'), 'read at full size');
  });
});

describe('small type', () => {
  // The clean page shrunk: at 75% its capitals are about 13 px tall, at 50% about 9 px.
  // Tesseract 5 keeps every word apart at both sizes.
  test('a page of small type keeps its word spaces', async () => {
    const faults: string[] = [];
    for (const scale of SMALL_TYPE_SCALES) {
      const page = await readOnePage(variants.smallTypePngs[scale]);
      const { recall, cer } = textAccuracy(TESTOCR_TRUTH, page.text);
      if (recall < 0.9) {
        faults.push(
          `at ${scale * 100}%: word recall ${recall.toFixed(2)}, CER ${(cer * 100).toFixed(1)}%, ` +
            `first lines: ${page.text.split('\n').slice(0, 4).join(' | ')}`,
        );
      }
    }
    assert.deepEqual(faults, []);
  });
});

describe('reading order', () => {
  test('a two-column page reads the left column, then the right', async () => {
    const page = await readOnePage(variants.twoColumnPng);

    assert.equal(page.blocks.length, 2, page.text);
    // The columns side by side hold testocr's paragraphs in order: its ground truth is the
    // reading order, and a row-by-row reading would interleave them.
    const { cer } = textAccuracy(TESTOCR_TRUTH, page.text);
    assert.ok(
      cer <= 0.02,
      `CER ${(cer * 100).toFixed(1)}% against column order; read:\n${page.text}`,
    );
    assert.deepEqual(
      page.blocks.map((b) => b.lines.length),
      [3, 5],
    );
  });
});
