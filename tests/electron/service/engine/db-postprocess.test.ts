import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  boxesFromProbabilityMap,
  DEFAULT_DB_PARAMS,
  type DetectedBox,
} from '../../../../electron/service/engine/db-postprocess';
import { emptyMap, paintRect, paintRotatedRect } from './support/probability-maps';

/** DB's unclip distance for a kernel of this size: area * ratio / perimeter. */
function unclipDistance(widthPx: number, heightPx: number, ratio = DEFAULT_DB_PARAMS.unclipRatio) {
  return (widthPx * heightPx * ratio) / (2 * (widthPx + heightPx));
}

function assertNear(actual: number, expected: number, tolerance: number, what: string): void {
  assert.ok(
    Math.abs(actual - expected) <= tolerance,
    `${what}: expected ${expected} ± ${tolerance}, got ${actual}`,
  );
}

function only(boxes: DetectedBox[]): DetectedBox {
  assert.equal(boxes.length, 1, `expected one box, got ${boxes.length}`);
  return boxes[0];
}

// Pixel-centre conventions differ by half a pixel between implementations, and the kernel's
// measured size by one pixel; these tolerances allow for that and nothing more.
const POSITION_TOLERANCE_PX = 1;
const SIZE_TOLERANCE_PX = 2.5;

describe('boxesFromProbabilityMap', () => {
  test('an upright kernel becomes one box grown by the unclip distance on every side', () => {
    const map = emptyMap(120, 60);
    paintRect(map, 10, 20, 50, 30, 0.9); // 40 x 10 px kernel centred at (30, 25)

    const box = only(boxesFromProbabilityMap(map, 120, 60));

    const d = unclipDistance(40, 10);
    assertNear(box.rect.cx, 30, POSITION_TOLERANCE_PX, 'centre x');
    assertNear(box.rect.cy, 25, POSITION_TOLERANCE_PX, 'centre y');
    assertNear(box.rect.width, 40 + 2 * d, SIZE_TOLERANCE_PX, 'width');
    assertNear(box.rect.height, 10 + 2 * d, SIZE_TOLERANCE_PX, 'height');
    assertNear(box.rect.ux, 1, 1e-9, 'direction x');
    assertNear(box.score, 0.9, 0.01, 'score');
    assertNear(box.kernelHeightPx, 10, 1, 'kernel height');

    // Corners clockwise from the top-left, and the grown box holds the whole kernel.
    const [tl, tr, br, bl] = box.polygon;
    assert.ok(tl[0] < tr[0] && tl[1] < bl[1] && br[0] > bl[0] && br[1] > tr[1]);
    assert.ok(tl[0] <= 10 && tl[1] <= 20 && br[0] >= 49 && br[1] >= 29);
  });

  test('a kernel turned 30° keeps its angle, and its width follows the text', () => {
    const map = emptyMap(160, 120);
    paintRotatedRect(map, { cx: 80, cy: 60, widthPx: 60, heightPx: 12, angleDeg: 30 }, 0.9);

    const box = only(boxesFromProbabilityMap(map, 160, 120));

    const d = unclipDistance(60, 12);
    const angleDeg = (Math.atan2(box.rect.uy, box.rect.ux) * 180) / Math.PI;
    assertNear(angleDeg, 30, 3, 'angle');
    assertNear(box.rect.cx, 80, POSITION_TOLERANCE_PX, 'centre x');
    assertNear(box.rect.cy, 60, POSITION_TOLERANCE_PX, 'centre y');
    assertNear(box.rect.width, 60 + 2 * d, SIZE_TOLERANCE_PX + 1, 'width');
    assertNear(box.rect.height, 12 + 2 * d, SIZE_TOLERANCE_PX + 1, 'height');
    assert.ok(box.score > 0.85, `score ${box.score}`);
  });

  test('a kernel rising to the right reads left to right, not backwards', () => {
    const map = emptyMap(160, 120);
    paintRotatedRect(map, { cx: 80, cy: 60, widthPx: 70, heightPx: 12, angleDeg: -20 }, 0.9);

    const box = only(boxesFromProbabilityMap(map, 160, 120));

    const angleDeg = (Math.atan2(box.rect.uy, box.rect.ux) * 180) / Math.PI;
    assertNear(angleDeg, -20, 3, 'angle');
    assert.ok(box.rect.width > box.rect.height);
    // The first corner is the start of the line, left of the second.
    assert.ok(box.polygon[0][0] < box.polygon[1][0]);
  });

  test('a tall narrow kernel is a vertical line whose width runs downwards', () => {
    const map = emptyMap(80, 120);
    paintRect(map, 30, 20, 40, 90, 0.9); // 10 x 70 px

    const box = only(boxesFromProbabilityMap(map, 80, 120));

    assertNear(box.rect.uy, 1, 1e-9, 'direction y');
    assertNear(box.rect.width, 70 + 2 * unclipDistance(10, 70), SIZE_TOLERANCE_PX, 'width');
  });

  test('specks and hairlines below the minimum side are dropped; a kernel at the minimum is kept', () => {
    const map = emptyMap(200, 100);
    paintRect(map, 10, 10, 13, 13, 0.95); // 3 x 3 speck
    paintRect(map, 40, 10, 120, 12, 0.95); // 80 x 2 hairline
    paintRect(map, 40, 50, 120, 54, 0.95); // 80 x 4 line: the smallest kept

    const boxes = boxesFromProbabilityMap(map, 200, 100);

    assert.equal(boxes.length, 1);
    assertNear(boxes[0].rect.cy, 52, POSITION_TOLERANCE_PX, 'kept line centre y');
  });

  test('a region above the binary threshold but weak on average is dropped by the box threshold', () => {
    const map = emptyMap(200, 100);
    paintRect(map, 10, 10, 90, 22, 0.45); // found (> 0.3) but scored below 0.6
    paintRect(map, 10, 60, 90, 72, 0.2); // not text at all
    paintRect(map, 110, 10, 190, 22, 0.65); // just strong enough

    const boxes = boxesFromProbabilityMap(map, 200, 100);

    assert.equal(boxes.length, 1);
    assertNear(boxes[0].rect.cx, 150, POSITION_TOLERANCE_PX, 'kept box centre x');
    assertNear(boxes[0].score, 0.65, 0.01, 'kept box score');
  });

  test('the unclip ratio sets how far boxes grow', () => {
    const map = emptyMap(120, 60);
    paintRect(map, 10, 20, 90, 36, 0.9); // 80 x 16

    const narrow = only(
      boxesFromProbabilityMap(map, 120, 60, { ...DEFAULT_DB_PARAMS, unclipRatio: 1 }),
    );
    const wide = only(
      boxesFromProbabilityMap(map, 120, 60, { ...DEFAULT_DB_PARAMS, unclipRatio: 2 }),
    );

    assertNear(
      narrow.rect.height,
      16 + 2 * unclipDistance(80, 16, 1),
      SIZE_TOLERANCE_PX,
      'ratio 1',
    );
    assertNear(wide.rect.height, 16 + 2 * unclipDistance(80, 16, 2), SIZE_TOLERANCE_PX, 'ratio 2');
  });

  test('boxes are scaled to the target size, each axis by its own factor', () => {
    const map = emptyMap(100, 50);
    paintRect(map, 10, 20, 50, 30, 0.9); // 40 x 10 kernel centred at (30, 25)

    const box = only(boxesFromProbabilityMap(map, 400, 100)); // x4 across, x2 down

    const d = unclipDistance(40, 10);
    assertNear(box.rect.cx, 120, 4 * POSITION_TOLERANCE_PX, 'centre x');
    assertNear(box.rect.cy, 50, 2 * POSITION_TOLERANCE_PX, 'centre y');
    assertNear(box.rect.width, 4 * (40 + 2 * d), 4 * SIZE_TOLERANCE_PX, 'width');
    assertNear(box.rect.height, 2 * (10 + 2 * d), 2 * SIZE_TOLERANCE_PX, 'height');
    assertNear(box.kernelHeightPx, 10, 1, 'kernel height stays in map pixels');
  });

  test('a box grown past the page edge is clipped to the page', () => {
    const map = emptyMap(100, 50);
    paintRect(map, 0, 0, 40, 8, 0.9);

    const box = only(boxesFromProbabilityMap(map, 200, 100));

    for (const [x, y] of box.polygon) {
      assert.ok(x >= 0 && x <= 200 && y >= 0 && y <= 100, `corner (${x}, ${y}) off the page`);
    }
  });

  test('separate kernels give separate boxes, at most maxCandidates of them', () => {
    const map = emptyMap(200, 200);
    for (let row = 0; row < 5; row++) paintRect(map, 20, 10 + row * 36, 180, 26 + row * 36, 0.9);

    assert.equal(boxesFromProbabilityMap(map, 200, 200).length, 5);
    const capped = boxesFromProbabilityMap(map, 200, 200, {
      ...DEFAULT_DB_PARAMS,
      maxCandidates: 2,
    });
    assert.equal(capped.length, 2);
  });

  test('an empty map gives no boxes', () => {
    assert.deepEqual(boxesFromProbabilityMap(emptyMap(64, 64), 640, 640), []);
  });
});
