import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { DetectedBox } from '../../../../electron/service/engine/db-postprocess';
import { rectCorners } from '../../../../electron/service/engine/geometry';
import { joinLineFragments, padLineEnds } from '../../../../electron/service/engine/line-fragments';

/** A horizontal box from x0 to x1 around the row at cy, `height` px tall. */
function box(x0: number, x1: number, cy: number, height = 40): DetectedBox {
  const rect = { cx: (x0 + x1) / 2, cy, width: x1 - x0, height, ux: 1, uy: 0 };
  return { rect, polygon: rectCorners(rect), score: 0.8, kernelHeightPx: 8 };
}

describe('joinLineFragments', () => {
  test('joins the pieces of a justified line broken at its wide spaces, overlapping or not', () => {
    const pieces = [box(600, 900, 101), box(100, 590, 100), box(880, 1500, 99)];
    const [line, ...rest] = joinLineFragments(pieces);
    assert.equal(rest.length, 0);
    assert.ok(Math.abs(line.rect.cx - 800) < 0.5);
    assert.ok(Math.abs(line.rect.width - 1400) < 0.5);
    assert.ok(Math.abs(line.rect.cy - 100) < 1);
  });

  test('joins a banner line found in tile-wide pieces along the pieces, not the first one', () => {
    // The first piece leans by two thousandths: followed, it would leave the row by 40 px.
    const first = box(0, 1230, 100);
    first.rect = { ...first.rect, ux: Math.sqrt(1 - 0.002 ** 2), uy: 0.002 };
    const rest = Array.from({ length: 16 }, (_, k) =>
      box(1040 * (k + 1), 1040 * (k + 1) + 1230, 100),
    );
    const lines = joinLineFragments([first, ...rest]);
    assert.equal(lines.length, 1);
    const [line] = lines;
    assert.ok(Math.abs(line.rect.uy) < 2e-4, `uy ${line.rect.uy}`);
    assert.ok(Math.abs(line.rect.cy - 100) < 1, `cy ${line.rect.cy}`);
    assert.ok(Math.abs(line.rect.width - (16 * 1040 + 1230)) < 1, `width ${line.rect.width}`);
  });

  test('keeps apart a label and a price across a wide gap, and lines above and below', () => {
    const receipt = [box(100, 300, 100), box(500, 580, 100), box(100, 400, 145), box(100, 400, 55)];
    assert.equal(joinLineFragments(receipt).length, 4);
  });

  test('keeps apart text of another size on the same row', () => {
    const heading = [box(100, 400, 100, 80), box(410, 600, 100, 40)];
    assert.equal(joinLineFragments(heading).length, 2);
  });

  test('keeps apart lines running in other directions', () => {
    const across = box(100, 400, 100);
    const skewed = { ...box(410, 700, 100) };
    skewed.rect = { ...skewed.rect, ux: Math.cos(0.2), uy: Math.sin(0.2) };
    assert.equal(joinLineFragments([across, skewed]).length, 2);
  });
});

describe('padLineEnds', () => {
  test('carries each end of a line on by a fifth of its height, to take in a closing mark', () => {
    const [line] = padLineEnds([box(100, 500, 100, 40)]);
    assert.ok(Math.abs(line.rect.width - 416) < 1e-9);
    assert.ok(Math.abs(line.rect.cx - 300) < 1e-9);
    assert.ok(Math.abs(line.polygon[1][0] - 508) < 1e-9);
  });

  test('stops halfway to a neighbour on the same row, and ignores the rows above and below', () => {
    const [label, price] = padLineEnds([
      box(100, 300, 100),
      box(306, 400, 100),
      box(290, 320, 140),
      box(290, 320, 60),
    ]);
    assert.ok(Math.abs(label.rect.cx + label.rect.width / 2 - 303) < 1e-9);
    assert.ok(Math.abs(label.rect.cx - label.rect.width / 2 - 92) < 1e-9);
    assert.ok(Math.abs(price.rect.cx - price.rect.width / 2 - 303) < 1e-9);
  });
});
