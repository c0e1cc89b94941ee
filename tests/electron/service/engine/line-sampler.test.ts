import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LINE_HEIGHT_PX, sampleLineInto } from '../../../../electron/service/engine/line-sampler';

/** A 40 x 20 image whose red channel is 6 times x, green 10 times y, blue 200. */
function gradientImage() {
  const width = 40;
  const height = 20;
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      data.set([6 * x, 10 * y, 200], (y * width + x) * 3);
    }
  }
  return { data, width, height };
}

const normalised = (v: number) => v / 127.5 - 1;

/** A 300 x 48 image of one-pixel strokes `ink` every 4 px (x = 1, 5, 9...) on `paper`. */
function strokesImage(ink: number, paper: number) {
  const width = 300;
  const height = 48;
  const data = new Uint8Array(width * height * 3).fill(paper);
  for (let y = 0; y < height; y++) {
    for (let x = 1; x < width; x += 4) data.fill(ink, (y * width + x) * 3, (y * width + x + 1) * 3);
  }
  return { data, width, height };
}

/**
 * How dark, 0 (paper) to 1 (ink), each stroke of `strokesImage` reads at its darkest in the
 * middle row, the image's first 280 px shrunk to 200 (1.4 source pixels an output pixel).
 */
function strokePeaks(image: ReturnType<typeof strokesImage>, ink: number, paper: number) {
  const outWidth = 200;
  const rect = { cx: 140, cy: 24, width: 280, height: 48, ux: 1, uy: 0 };
  const slot = new Float32Array(3 * LINE_HEIGHT_PX * outWidth);
  sampleLineInto(image, rect, outWidth, slot, 0, outWidth, false);
  const row = Array.from(slot.subarray(24 * outWidth, 25 * outWidth), (v) => {
    const level = (v + 1) * 127.5;
    return (paper - level) / (paper - ink);
  });
  return Array.from({ length: 69 }, (_, k) => {
    const centre = (4 * k + 1.5) / 1.4;
    const from = Math.max(0, Math.floor(centre - 1.5));
    const to = Math.min(outWidth, Math.ceil(centre + 1.5) + 1);
    return Math.max(...row.slice(from, to));
  });
}

describe('sampleLineInto', () => {
  test('interpolates between pixels inside the image, channels out as B, G, R', () => {
    const image = gradientImage();
    const rect = { cx: 20.5, cy: 10.5, width: 16, height: 8, ux: 1, uy: 0 };
    const outWidth = 96;
    const slot = new Float32Array(3 * LINE_HEIGHT_PX * outWidth);
    sampleLineInto(image, rect, outWidth, slot, 0, outWidth, false);

    const plane = LINE_HEIGHT_PX * outWidth;
    // The output pixel (48, 24) is centred on page point (20.583..., 10.583...) less the half pixel.
    const at = 24 * outWidth + 48;
    const x = 12.5 + (48.5 * 16) / 96 - 0.5;
    const y = 6.5 + (24.5 * 8) / 48 - 0.5;
    assert.ok(Math.abs(slot[at] - normalised(200)) < 1e-5);
    assert.ok(Math.abs(slot[at + plane] - normalised(10 * y)) < 1e-4);
    assert.ok(Math.abs(slot[at + 2 * plane] - normalised(6 * x)) < 1e-4);
  });

  test('reads white outside the image and turns a flipped line over', () => {
    const image = gradientImage();
    // Half of this line lies left of the image.
    const rect = { cx: 0, cy: 10, width: 20, height: 10, ux: 1, uy: 0 };
    const outWidth = 96;
    const upright = new Float32Array(3 * LINE_HEIGHT_PX * outWidth);
    const flipped = new Float32Array(3 * LINE_HEIGHT_PX * outWidth);
    sampleLineInto(image, rect, outWidth, upright, 0, outWidth, false);
    sampleLineInto(image, rect, outWidth, flipped, 0, outWidth, true);

    const plane = LINE_HEIGHT_PX * outWidth;
    assert.equal(upright[20 * outWidth + 2 + 2 * plane], 1);
    for (const [y, x] of [
      [3, 5],
      [30, 70],
    ]) {
      const mirrored = (LINE_HEIGHT_PX - 1 - y) * outWidth + (outWidth - 1 - x);
      assert.equal(flipped[mirrored], upright[y * outWidth + x]);
      assert.equal(flipped[mirrored + 2 * plane], upright[y * outWidth + x + 2 * plane]);
    }
  });

  test('a bilevel line shrunk along its length keeps every thin stroke about as dark', () => {
    // One sample an output pixel would catch some strokes whole and others by a third.
    const peaks = strokePeaks(strokesImage(0, 255), 0, 255);
    assert.ok(Math.min(...peaks) > 0.35, `faintest stroke ${Math.min(...peaks)}`);
    assert.ok(Math.max(...peaks) - Math.min(...peaks) < 0.3, `peaks ${peaks.join(' ')}`);
  });

  test('a grey line keeps one sample an output pixel: a stroke under one reads whole', () => {
    const peaks = strokePeaks(strokesImage(1, 254), 1, 254);
    assert.ok(Math.max(...peaks) > 0.95, `darkest stroke ${Math.max(...peaks)}`);
  });
});
