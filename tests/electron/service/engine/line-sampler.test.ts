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
});
