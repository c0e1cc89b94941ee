import type { RotatedRect } from './geometry';
import type { RgbImage } from './decode';

/** Height, in pixels, of the line images both the classifier and recogniser take. */
export const LINE_HEIGHT_PX = 48;

/**
 * Samples a rotated text-line rectangle of `image` straight into a normalised CHW tensor slot
 * (BGR order, values (v / 255 - 0.5) / 0.5 as the PP-OCR line models were trained), `outWidth`
 * x 48 pixels inside a slot `slotWidth` wide. Cropping, deskewing and resizing happen in this
 * one pass; when the line is shrunk, each output pixel averages several source samples.
 */
export function sampleLineInto(
  image: RgbImage,
  rect: RotatedRect,
  outWidth: number,
  target: Float32Array,
  slotOffset: number,
  slotWidth: number,
  flipped: boolean,
): void {
  const h = LINE_HEIGHT_PX;
  const plane = h * slotWidth;
  const { data, width: imgW, height: imgH } = image;
  // Source step per output pixel along the line (u) and across it (v).
  const stepU = rect.width / outWidth;
  const stepV = rect.height / h;
  const vx = -rect.uy;
  const vy = rect.ux;
  const originX = rect.cx - (rect.width / 2) * rect.ux - (rect.height / 2) * vx;
  const originY = rect.cy - (rect.width / 2) * rect.uy - (rect.height / 2) * vy;
  const samples = subSamples(Math.round(Math.max(stepU, stepV)));
  // Along a bilevel line every source column counts: see BILEVEL_STEP_SLACK.
  const samplesU = isBilevel(image, rect)
    ? Math.max(samples, subSamples(Math.ceil(stepU - BILEVEL_STEP_SLACK)))
    : samples;
  const inv = 1 / (samplesU * samples);
  // Offsets of the sub-samples inside an output pixel, in output pixels.
  const offsets = Array.from({ length: samples }, (_, k) => (k + 0.5) / samples);
  const offsetsU = Array.from({ length: samplesU }, (_, k) => (k + 0.5) / samplesU);
  const edge = new Float64Array(3);

  for (let oy = 0; oy < h; oy++) {
    const ty = flipped ? h - 1 - oy : oy;
    for (let ox = 0; ox < outWidth; ox++) {
      const tx = flipped ? outWidth - 1 - ox : ox;
      let r = 0;
      let g = 0;
      let b = 0;
      for (let sy = 0; sy < samples; sy++) {
        const v = (oy + offsets[sy]) * stepV;
        for (let sx = 0; sx < samplesU; sx++) {
          const u = (ox + offsetsU[sx]) * stepU;
          const px = originX + u * rect.ux + v * vx - 0.5;
          const py = originY + u * rect.uy + v * vy - 0.5;
          const x0 = Math.floor(px);
          const y0 = Math.floor(py);
          const fx = px - x0;
          const fy = py - y0;
          if (x0 < 0 || y0 < 0 || x0 + 1 >= imgW || y0 + 1 >= imgH) {
            bilinearAtEdge(data, imgW, imgH, x0, y0, fx, fy, edge);
            r += edge[0];
            g += edge[1];
            b += edge[2];
            continue;
          }
          // Bilinear interpolation between the four neighbours, all inside the image.
          const top = (y0 * imgW + x0) * 3;
          const bottom = top + imgW * 3;
          r += lerp2(data[top], data[top + 3], data[bottom], data[bottom + 3], fx, fy);
          g += lerp2(data[top + 1], data[top + 4], data[bottom + 1], data[bottom + 4], fx, fy);
          b += lerp2(data[top + 2], data[top + 5], data[bottom + 2], data[bottom + 5], fx, fy);
        }
      }
      const at = slotOffset + ty * slotWidth + tx;
      // Channels go out as B, G, R.
      target[at] = (b * inv) / 127.5 - 1;
      target[at + plane] = (g * inv) / 127.5 - 1;
      target[at + 2 * plane] = (r * inv) / 127.5 - 1;
    }
  }
}

/** Most sub-samples per output pixel along each axis. */
const MAX_SUB_SAMPLES = 4;

function subSamples(count: number): number {
  return Math.min(MAX_SUB_SAMPLES, Math.max(1, count));
}

/**
 * How far, in source pixels, a bilevel line's step along it may exceed one pixel and still be
 * read with one sample per output pixel. A black-and-white scan's strokes are one to three
 * pixels wide with hard edges, and lines are shrunk along their length by 1.2 to 1.5 times (see
 * LINE_WIDTH_SCALE in page-ops.ts); one bilinear sample per output pixel then catches some
 * strokes whole and others by a third, and thin strokes come and go: "w" read as "v", "m" as
 * "n". Averaging enough samples to cover every column keeps them (the corpus's book pages: 238
 * character edits in 22,880 against 246). Grey scans and photos, whose edges the optics already
 * softened, keep the plain samples: on the corpus's receipts, shrunk as much, the extra
 * averaging cost two words.
 */
const BILEVEL_STEP_SLACK = 0.05;
/** Points of a line's rectangle, along and across it, looked at to tell a bilevel scan. */
const BILEVEL_PROBES_ALONG = 32;
const BILEVEL_PROBES_ACROSS = 4;

/**
 * Whether the rectangle's pixels are all black or white, as in a 1-bit scan (TIFF G4, fax):
 * judged from a grid of probes, so that it costs little beside the sampling itself.
 */
function isBilevel(image: RgbImage, rect: RotatedRect): boolean {
  const { data, width, height } = image;
  for (let i = 0; i < BILEVEL_PROBES_ALONG; i++) {
    const u = ((i + 0.5) / BILEVEL_PROBES_ALONG - 0.5) * rect.width;
    for (let k = 0; k < BILEVEL_PROBES_ACROSS; k++) {
      const v = ((k + 0.5) / BILEVEL_PROBES_ACROSS - 0.5) * rect.height;
      const x = Math.floor(rect.cx + u * rect.ux - v * rect.uy);
      const y = Math.floor(rect.cy + u * rect.uy + v * rect.ux);
      if (x < 0 || y < 0 || x >= width || y >= height) continue;
      const at = (y * width + x) * 3;
      for (let c = 0; c < 3; c++) if (data[at + c] !== 0 && data[at + c] !== 255) return false;
    }
  }
  return true;
}

/** Bilinear mix of a pixel's top-left, top-right, bottom-left and bottom-right neighbours. */
function lerp2(a: number, b: number, d: number, e: number, fx: number, fy: number): number {
  return (a + (b - a) * fx) * (1 - fy) + (d + (e - d) * fx) * fy;
}

/** The bilinear sample by the image's edge, per channel into `out`; outside reads as white. */
function bilinearAtEdge(
  data: Uint8Array,
  w: number,
  h: number,
  x0: number,
  y0: number,
  fx: number,
  fy: number,
  out: Float64Array,
): void {
  for (let c = 0; c < 3; c++) {
    const a = pixel(data, w, h, x0, y0, c);
    const b = pixel(data, w, h, x0 + 1, y0, c);
    const d = pixel(data, w, h, x0, y0 + 1, c);
    const e = pixel(data, w, h, x0 + 1, y0 + 1, c);
    out[c] = lerp2(a, b, d, e, fx, fy);
  }
}

function pixel(data: Uint8Array, w: number, h: number, x: number, y: number, c: number): number {
  if (x < 0 || y < 0 || x >= w || y >= h) return 255;
  return data[(y * w + x) * 3 + c];
}

/** A rectangle of an image, in pixels. */
export interface PixelRegion {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * Fills a normalised BGR CHW tensor (ImageNet mean and std, as the detector was trained) with
 * a region of an image that is already at the detector's scale.
 */
export function imageToDetectorTensor(image: RgbImage, region: PixelRegion): Float32Array {
  const { data, width } = image;
  const plane = region.width * region.height;
  const out = new Float32Array(3 * plane);
  const mean = [0.485, 0.456, 0.406];
  const std = [0.229, 0.224, 0.225];
  const scale = mean.map((_, c) => 1 / (255 * std[c]));
  const shift = mean.map((m, c) => -m / std[c]);
  let i = 0;
  for (let y = region.y; y < region.y + region.height; y++) {
    let s = (y * width + region.x) * 3;
    for (let x = 0; x < region.width; x++, i++, s += 3) {
      out[i] = data[s + 2] * scale[0] + shift[0];
      out[i + plane] = data[s + 1] * scale[1] + shift[1];
      out[i + 2 * plane] = data[s] * scale[2] + shift[2];
    }
  }
  return out;
}
