import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  bucketWidth,
  planBatches,
  RECOGNITION_BATCH_WIDTH_PX,
} from '../../../../electron/service/engine/page-ops';

/** Widths of a made-up page: many short fields, some medium lines, a few long ones. */
function pageOfWidths(count: number): number[] {
  let seed = 12345;
  const next = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  return Array.from({ length: count }, () => {
    const kind = next();
    if (kind < 0.5) return 20 + Math.floor(next() * 200);
    if (kind < 0.9) return 200 + Math.floor(next() * 500);
    return 700 + Math.floor(next() * 1800);
  });
}

describe('bucketWidth', () => {
  test('pads short lines up to the next of a few fixed widths', () => {
    assert.equal(bucketWidth(8), 64);
    assert.equal(bucketWidth(96), 96);
    assert.equal(bucketWidth(97), 128);
    assert.equal(bucketWidth(639), 640);
    assert.equal(bucketWidth(640), 640);
  });

  test('pads longer lines to a multiple of 32 pixels, up to the longest line read', () => {
    assert.equal(bucketWidth(641), 672);
    assert.equal(bucketWidth(1000), 1024);
    assert.equal(bucketWidth(3200), 3200);
    assert.equal(bucketWidth(9000), 3200);
  });

  test('never pads a line narrower than itself, nor to much more than its width', () => {
    for (let width = 1; width <= 3200; width += 7) {
      const bucket = bucketWidth(width);
      assert.ok(bucket >= width, `${width} -> ${bucket}`);
      assert.ok(bucket - width < Math.max(64, width / 4), `${width} padded to ${bucket}`);
    }
  });
});

describe('planBatches', () => {
  const widths = pageOfWidths(300);
  const batches = planBatches(widths);

  test('puts every line in exactly one batch', () => {
    const seen = batches.flatMap((b) => b.indices).sort((a, b) => a - b);
    assert.deepEqual(
      seen,
      widths.map((_, i) => i),
    );
  });

  test('a batch holds lines of one bucket, padded to it', () => {
    for (const batch of batches) {
      for (const i of batch.indices) assert.equal(bucketWidth(widths[i]), batch.bucketWidthPx);
    }
  });

  test('a batch stays within the width budget, unless it is a single wide line', () => {
    for (const batch of batches) {
      const paddedPx = batch.bucketWidthPx * batch.indices.length;
      assert.ok(
        paddedPx <= RECOGNITION_BATCH_WIDTH_PX || batch.indices.length === 1,
        `${batch.indices.length} lines of ${batch.bucketWidthPx} px`,
      );
    }
    const wide = planBatches([2000, 2500]);
    assert.deepEqual(
      wide.map((b) => b.indices.length),
      [1, 1],
    );
  });

  test('lines of one bucket fill batches rather than running one by one', () => {
    const short = planBatches(Array.from({ length: 30 }, () => 90));
    const perBatch = Math.floor(RECOGNITION_BATCH_WIDTH_PX / bucketWidth(90));
    assert.ok(perBatch > 1);
    assert.deepEqual(
      short.map((b) => b.indices.length),
      [Math.min(16, perBatch), Math.min(16, perBatch), 30 - 2 * Math.min(16, perBatch)].filter(
        (n) => n > 0,
      ),
    );
  });

  test('the model sees few distinct input shapes, however many lines a page has', () => {
    const shapes = new Set(batches.map((b) => `${b.indices.length}x${b.bucketWidthPx}`));
    const shortWidths = new Set(
      batches.filter((b) => b.bucketWidthPx <= 640).map((b) => b.bucketWidthPx),
    );
    assert.ok(shortWidths.size <= 14, `${shortWidths.size} short widths`);
    assert.ok(
      shapes.size < batches.length / 2,
      `${shapes.size} shapes for ${batches.length} batches`,
    );
  });

  test('the width budget can be lowered (after an out-of-memory error)', () => {
    const small = planBatches(widths, 320);
    for (const batch of small) {
      assert.ok(batch.bucketWidthPx * batch.indices.length <= 320 || batch.indices.length === 1);
    }
    assert.ok(small.length > batches.length);
  });
});
