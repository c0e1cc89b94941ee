import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import sharp from 'sharp';
import type { Point } from '../../../../shared/domain';
import {
  convexHull,
  minAreaRect,
  normaliseTextRect,
  rectCorners,
  unrotatePoint,
  type RotatedRect,
} from '../../../../electron/service/engine/geometry';

function near(actual: number, expected: number, tolerance = 1e-6): boolean {
  return Math.abs(actual - expected) <= tolerance;
}

function assertPointNear(actual: Point, expected: Point, tolerance = 1e-6): void {
  assert.ok(
    near(actual[0], expected[0], tolerance) && near(actual[1], expected[1], tolerance),
    `expected (${expected.join(', ')}), got (${actual.join(', ')})`,
  );
}

/** Points of a `width` x `height` rectangle turned `angleDeg` about (cx, cy): its corners and a grid inside. */
function rotatedPointSet(cx: number, cy: number, width: number, height: number, angleDeg: number) {
  const a = (angleDeg * Math.PI) / 180;
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i <= 8; i++) {
    for (let j = 0; j <= 4; j++) {
      const u = (i / 8 - 0.5) * width;
      const v = (j / 4 - 0.5) * height;
      xs.push(cx + u * Math.cos(a) - v * Math.sin(a));
      ys.push(cy + u * Math.sin(a) + v * Math.cos(a));
    }
  }
  return { xs, ys };
}

describe('convexHull and minAreaRect', () => {
  test('the hull of a grid keeps only its four corners', () => {
    const { xs, ys } = rotatedPointSet(0, 0, 40, 10, 0);
    const hull = convexHull(xs, ys);
    assert.equal(hull.length, 4);
  });

  test('the least rectangle around a turned point set is that rectangle', () => {
    const { xs, ys } = rotatedPointSet(100, 80, 40, 10, 25);
    const rect = minAreaRect(convexHull(xs, ys));

    assert.ok(near(rect.cx, 100) && near(rect.cy, 80), `centre (${rect.cx}, ${rect.cy})`);
    const sides = [rect.width, rect.height].sort((p, q) => p - q);
    assert.ok(near(sides[0], 10) && near(sides[1], 40), `sides ${sides.join(' x ')}`);
    // The long side lies along 25° (or its opposite), whichever axis carries it.
    const longAxis = rect.width > rect.height ? [rect.ux, rect.uy] : [-rect.uy, rect.ux];
    const angleDeg = (Math.atan2(longAxis[1], longAxis[0]) * 180) / Math.PI;
    assert.ok(near(((angleDeg % 180) + 180) % 180, 25, 1e-6), `angle ${angleDeg}`);
  });

  test('a single point gives an empty rectangle at that point', () => {
    assert.deepEqual(minAreaRect([[3, 4]]), { cx: 3, cy: 4, width: 0, height: 0, ux: 1, uy: 0 });
  });
});

describe('normaliseTextRect', () => {
  const base: RotatedRect = { cx: 50, cy: 20, width: 80, height: 12, ux: 1, uy: 0 };

  test('a horizontal line whose width axis points left is turned to point right', () => {
    const rect = normaliseTextRect({ ...base, ux: -1, uy: 0 });
    assert.equal(rect.width, 80);
    assert.equal(rect.height, 12);
    assert.ok(near(rect.ux, 1) && near(rect.uy, 0));
  });

  test('a horizontal line described along its short vertical axis is re-described along its length', () => {
    const rect = normaliseTextRect({ ...base, width: 12, height: 80, ux: 0, uy: 1 });
    assert.equal(rect.width, 80);
    assert.equal(rect.height, 12);
    assert.ok(near(Math.abs(rect.ux), 1) && rect.ux > 0);
  });

  test('a clearly taller box is a vertical line read downwards', () => {
    const rect = normaliseTextRect({ ...base, width: 12, height: 80, ux: 1, uy: 0 });
    assert.equal(rect.width, 80);
    assert.ok(near(rect.uy, 1), `direction (${rect.ux}, ${rect.uy})`);

    const upwards = normaliseTextRect({ ...base, width: 80, height: 12, ux: 0, uy: -1 });
    assert.ok(near(upwards.uy, 1), 'a vertical line pointing up is turned to point down');
  });

  test('a box only a little taller than wide still reads across', () => {
    const rect = normaliseTextRect({ ...base, width: 40, height: 50, ux: 1, uy: 0 });
    assert.equal(rect.width, 40);
    assert.ok(near(rect.ux, 1));
  });

  test('a slanted line keeps its slant and reads left to right', () => {
    const a = (160 * Math.PI) / 180; // the same line as -20°, described backwards
    const rect = normaliseTextRect({ ...base, ux: Math.cos(a), uy: Math.sin(a) });
    assert.ok(rect.ux > 0);
    assert.ok(near((Math.atan2(rect.uy, rect.ux) * 180) / Math.PI, -20, 1e-9));
  });
});

describe('rectCorners', () => {
  test('lists corners clockwise from the top-left of the text', () => {
    const corners = rectCorners({ cx: 50, cy: 20, width: 80, height: 12, ux: 1, uy: 0 });
    assert.deepEqual(corners, [
      [10, 14],
      [90, 14],
      [90, 26],
      [10, 26],
    ]);
  });
});

describe('unrotatePoint', () => {
  // A 7 x 5 white image with one black pixel at column 2, row 1; sharp turns it clockwise.
  const WIDTH = 7;
  const HEIGHT = 5;
  const MARK: Point = [2, 1];

  async function markAfterTurning(degrees: 90 | 180 | 270) {
    const pixels = Buffer.alloc(WIDTH * HEIGHT, 255);
    pixels[MARK[1] * WIDTH + MARK[0]] = 0;
    const { data, info } = await sharp(pixels, {
      raw: { width: WIDTH, height: HEIGHT, channels: 1 },
    })
      .rotate(degrees)
      .raw()
      .toBuffer({ resolveWithObject: true });
    const at = data.indexOf(0) / info.channels;
    return {
      x: at % info.width,
      y: Math.floor(at / info.width),
      width: info.width,
      height: info.height,
    };
  }

  for (const degrees of [90, 180, 270] as const) {
    test(`maps a pixel of an image turned ${degrees}° clockwise back to where it was`, async () => {
      const turned = await markAfterTurning(degrees);
      // Pixel centres, so that the mapping is checked in continuous coordinates.
      const back = unrotatePoint(
        [turned.x + 0.5, turned.y + 0.5],
        degrees,
        turned.width,
        turned.height,
      );
      assertPointNear(back, [MARK[0] + 0.5, MARK[1] + 0.5]);
    });
  }

  test('leaves a point alone at 0°', () => {
    assert.deepEqual(unrotatePoint([3, 4], 0, 7, 5), [3, 4]);
  });
});
