import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Point } from '../../../../shared/domain';
import type { DetectedBox } from '../../../../electron/service/engine/db-postprocess';
import {
  DETECTION_MAX_SIDE_PX,
  DETECTION_MIN_SHORT_SIDE_PX,
  DETECTION_TILE_MAX_PIXELS,
  DETECTION_TILE_PX,
  detectorSize,
  dropContainedBoxes,
  initialDetectionScale,
  planTiles,
  rescaleForTextSize,
  verticalShare,
} from '../../../../electron/service/engine/detection-plan';
import type { PixelRegion } from '../../../../electron/service/engine/line-sampler';

/** How many of the regions hold each pixel of a width x height image. */
function coverage(width: number, height: number, regions: PixelRegion[]): Uint8Array {
  const counts = new Uint8Array(width * height);
  for (const r of regions) {
    for (let y = r.y; y < r.y + r.height; y++) {
      for (let x = r.x; x < r.x + r.width; x++) counts[y * width + x]++;
    }
  }
  return counts;
}

function countOutside(counts: Uint8Array, wanted: number): number {
  let wrong = 0;
  for (const c of counts) if (c !== wanted) wrong++;
  return wrong;
}

/** Detector image sizes: one tile exactly, just over a tile, several tiles, a long strip. */
const TILED_SIZES: [number, number][] = [
  [640, 480],
  [928, 1280],
  [1280, 928],
  [DETECTION_TILE_PX, DETECTION_TILE_PX],
  [DETECTION_TILE_PX + 64, 800],
  [2880, 1024],
  [3008, 1696],
  [736, 14720],
];

describe('planTiles', () => {
  test('a detector image no larger than a tile is one tile whose core is all of it', () => {
    const whole = { x: 0, y: 0, width: 1120, height: 640 };
    assert.deepEqual(planTiles(1120, 640), [{ region: whole, core: whole }]);
  });

  test('a portrait page at the detector size is cut into two full-width strips', () => {
    const tiles = planTiles(928, 1280);
    assert.equal(tiles.length, 2);
    for (const { region } of tiles) assert.equal(region.width, 928);
  });

  for (const [width, height] of TILED_SIZES) {
    test(`tiles of ${width} x ${height} lie inside it, no larger than a tile, and cover it`, () => {
      const tiles = planTiles(width, height);
      for (const { region, core } of tiles) {
        assert.ok(region.x >= 0 && region.y >= 0, JSON.stringify(region));
        assert.ok(region.x + region.width <= width && region.y + region.height <= height);
        assert.ok(region.width <= DETECTION_TILE_PX && region.height <= DETECTION_TILE_PX);
        assert.ok(region.width * region.height <= DETECTION_TILE_MAX_PIXELS, 'tile area');
        assert.ok(region.width % 32 === 0 && region.height % 32 === 0, 'sides the detector takes');
        // A box is kept by the tile whose core holds its centre, so the core must be inside
        // the tile that saw the box.
        assert.ok(core.x >= region.x && core.x + core.width <= region.x + region.width);
        assert.ok(core.y >= region.y && core.y + core.height <= region.y + region.height);
      }
      const counts = coverage(
        width,
        height,
        tiles.map((t) => t.region),
      );
      assert.equal(counts.indexOf(0), -1, 'every pixel lies in some tile');
      if (tiles.length > 1)
        assert.ok(
          counts.some((c) => c > 1),
          'neighbouring tiles overlap',
        );
    });
  }

  // Each box is kept by exactly one tile: the one whose core holds its centre. Where cores
  // overlap, a line is detected and kept twice and only the duplicate filter saves the text.
  test('the tile cores partition the detector image exactly, whatever its size', () => {
    const faults: string[] = [];
    for (const [width, height] of TILED_SIZES) {
      const tiles = planTiles(width, height);
      const wrong = countOutside(
        coverage(
          width,
          height,
          tiles.map((t) => t.core),
        ),
        1,
      );
      if (wrong === 0) continue;
      const spans = tiles.map(
        ({ core }) => `x ${core.x}..${core.x + core.width}, y ${core.y}..${core.y + core.height}`,
      );
      faults.push(
        `${width} x ${height}: ${wrong} pixels in no core or in several (${spans.join('; ')})`,
      );
    }
    assert.deepEqual(faults, []);
  });
});

describe('initialDetectionScale', () => {
  test('never enlarges a page', () => {
    assert.equal(initialDetectionScale(640, 480), 1);
    assert.equal(initialDetectionScale(1200, 1300), DETECTION_MAX_SIDE_PX / 1300);
  });

  test("fits an ordinary page's long side to the detector", () => {
    const scale = initialDetectionScale(2480, 3508); // A4 at 300 dpi
    assert.ok(Math.abs(scale * 3508 - DETECTION_MAX_SIDE_PX) < 1e-6, String(scale));
  });

  test('keeps the short side of a long strip readable instead of fitting its length', () => {
    const scale = initialDetectionScale(1000, 20000);
    assert.ok(Math.abs(scale * 1000 - DETECTION_MIN_SHORT_SIDE_PX) < 1e-6, String(scale));
  });

  test('a memory reduction factor shrinks the scale in proportion', () => {
    const full = initialDetectionScale(2480, 3508);
    assert.ok(Math.abs(initialDetectionScale(2480, 3508, 0.5) - full / 2) < 1e-9);
  });
});

describe('detectorSize', () => {
  test('rounds each side to a multiple of 32 pixels, never below 32', () => {
    assert.deepEqual(detectorSize(2480, 3508, 0.3649), { width: 896, height: 1280 });
    assert.deepEqual(detectorSize(10, 10, 1), { width: 32, height: 32 });
  });
});

function boxAt(x0: number, y0: number, x1: number, y1: number, kernelHeightPx = 8): DetectedBox {
  const polygon: Point[] = [
    [x0, y0],
    [x1, y0],
    [x1, y1],
    [x0, y1],
  ];
  const width = x1 - x0;
  const height = y1 - y0;
  const vertical = height > width;
  return {
    rect: {
      cx: (x0 + x1) / 2,
      cy: (y0 + y1) / 2,
      width: vertical ? height : width,
      height: vertical ? width : height,
      ux: vertical ? 0 : 1,
      uy: vertical ? 1 : 0,
    },
    polygon,
    score: 0.9,
    kernelHeightPx,
  };
}

describe('rescaleForTextSize', () => {
  test('asks for a larger scale when the text found was too small to read', () => {
    const small = [boxAt(0, 0, 50, 5, 3), boxAt(0, 10, 50, 15, 3), boxAt(0, 20, 50, 25, 4)];
    const larger = rescaleForTextSize(small, 0.2);
    assert.ok(larger !== null && larger > 0.2 && larger <= 1, String(larger));
    assert.equal(rescaleForTextSize(small, 0.4), 1, 'never past full size');
  });

  test('keeps the scale when the text was large enough, the page was at full size, or nothing was found', () => {
    assert.equal(rescaleForTextSize([boxAt(0, 0, 80, 12, 9)], 0.3), null);
    assert.equal(rescaleForTextSize([boxAt(0, 0, 80, 4, 2)], 1), null);
    assert.equal(rescaleForTextSize([], 0.3), null);
  });
});

describe('dropContainedBoxes', () => {
  test('drops a box lying inside a larger one and a duplicate, keeps overlapping neighbours, in order', () => {
    const line = boxAt(0, 0, 200, 40);
    const wordInside = boxAt(10, 5, 60, 35);
    const neighbour = boxAt(150, 0, 300, 40);
    const duplicate = boxAt(0, 0, 200, 40);
    const below = boxAt(0, 50, 200, 90);

    const kept = dropContainedBoxes([wordInside, line, neighbour, duplicate, below]);

    assert.equal(kept.length, 3);
    assert.deepEqual(
      kept.map((b) => b.polygon[0]),
      [
        [0, 0],
        [150, 0],
        [0, 50],
      ],
    );
  });
});

describe('verticalShare', () => {
  test('is the share of text length running down the page', () => {
    const boxes = [boxAt(0, 0, 300, 20), boxAt(400, 0, 420, 100)];
    assert.ok(Math.abs(verticalShare(boxes) - 100 / 400) < 1e-9);
    assert.equal(verticalShare([]), 0);
  });
});
