/**
 * Accuracy on a small, varied subset of the corpus, with thresholds a little below what the
 * engine reads today, so that a change which reads worse fails here before the benchmark.
 * Clean pages and book pages are scored by CER (their ground truth is in reading order),
 * receipts and forms by bag-of-words F1 (theirs is not), as `npm run bench` scores them.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createEngine, type OcrEngineApi } from '../../../../electron/service/engine/index';
import { corpusPath, groundTruthOf } from './support/corpus-files';
import { textAccuracy } from './support/text-accuracy';

interface Expectation {
  file: string;
  /** Highest CER accepted, 0..1. */
  maxCer?: number;
  /** Lowest bag-of-words F1 accepted, 0..1. */
  minF1?: number;
}

// Measured on 2026-12-04 on the 2-core CI machine (in brackets), thresholds set a little below.
const EXPECTATIONS: Expectation[] = [
  { file: 'tesseractjs-clean/testocr.png', maxCer: 0.015 }, // [CER 0.35%]
  { file: 'tesseractjs-clean/simple.png', maxCer: 0.05 }, // [CER 0%; one wrong letter is 8%]
  { file: 'tesseractjs-clean/cosmic.png', maxCer: 0.05 }, // [CER 0%; one wrong letter is 2.6%]
  { file: 'sroie-receipts/sroie_000.jpg', minF1: 0.64 }, // [F1 0.682]
  { file: 'sroie-receipts/sroie_040.jpg', minF1: 0.68 }, // [F1 0.721]
  { file: 'oldbooks-pages/i025.tiff', maxCer: 0.025 }, // [CER 1.56%]
  { file: 'funsd-forms/funsd_82253058_3059.png', minF1: 0.36 }, // [F1 0.400]
  { file: 'funsd-forms/funsd_82504862.png', minF1: 0.7 }, // [F1 0.744]
];

let engine: OcrEngineApi;

before(async () => {
  engine = await createEngine();
});

after(async () => {
  await engine?.close();
});

describe('corpus regression', () => {
  for (const expected of EXPECTATIONS) {
    test(`${expected.file} reads at least as well as it did`, async (t) => {
      const path = corpusPath(expected.file);
      const result = await engine.recognizeDocument(path);
      assert.deepEqual(result.pageErrors, []);

      const text = result.pages.map((p) => p.text).join('\n');
      const { cer, f1 } = textAccuracy(groundTruthOf(path), text);
      t.diagnostic(`CER ${(cer * 100).toFixed(2)}%, F1 ${f1.toFixed(3)}`);

      if (expected.maxCer !== undefined) {
        assert.ok(
          cer <= expected.maxCer,
          `CER ${(cer * 100).toFixed(2)}%, above ${expected.maxCer * 100}%`,
        );
      }
      if (expected.minF1 !== undefined) {
        assert.ok(f1 >= expected.minF1, `F1 ${f1.toFixed(3)}, below ${expected.minF1}`);
      }
    });
  }

  test('keeps the full stop that ends a page', async () => {
    // The detector's box of the last line ended inside its full stop, which was dropped.
    const result = await engine.recognizeDocument(corpusPath('tesseractjs-clean/testocr.png'));
    assert.match(result.pages[0].text, /lazy fox\.$/);
  });

  test('reads a capital by its height where only its size tells it from the small letter', async () => {
    // The bold O of "HellO" stands as tall as the H beside it; the recogniser reads "o".
    const result = await engine.recognizeDocument(corpusPath('tesseractjs-clean/cosmic.png'));
    assert.match(result.pages[0].text, /^HellO World$/m);
  });
});
