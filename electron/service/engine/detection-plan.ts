import type { DetectedBox } from './db-postprocess';
import type { PixelRegion } from './line-sampler';

/** Longest side, in pixels, the detector works at for an ordinary page. */
export const DETECTION_MAX_SIDE_PX = 1280;
/** The detector never sees a page's short side below this, in pixels (tall strips are tiled). */
export const DETECTION_MIN_SHORT_SIDE_PX = 736;
/** Text kernels shorter than this, in detector pixels, are too small to find reliably. */
export const MIN_KERNEL_HEIGHT_PX = 6;
/** Kernel height, in detector pixels, aimed for when a page is re-detected at a larger scale. */
const TARGET_KERNEL_HEIGHT_PX = 10;
/** Largest tile side, in detector pixels; wider detector images are cut into columns. */
export const DETECTION_TILE_PX = 1280;
/**
 * Largest tile, in detector pixels. The detector's activations take about 210 bytes per input
 * pixel (measured: 270 MB at 928 x 1280, 150 MB at 704 x 960), so a whole page in one run
 * dominates the engine's peak memory; a page cut into two strips needs about half, and smaller
 * runs are no slower per pixel (0.46 against 0.56 µs per pixel here), which pays for the overlap.
 */
export const DETECTION_TILE_MAX_PIXELS = 720_000;
/** Overlap of neighbouring tiles, in detector pixels: taller than any line it must keep whole. */
const TILE_OVERLAP_PX = 192;

/** The detector's scale for a page: fit the long side, but keep the short side readable. */
export function initialDetectionScale(width: number, height: number, reduction = 1): number {
  const fitLong = DETECTION_MAX_SIDE_PX / Math.max(width, height);
  const keepShort = DETECTION_MIN_SHORT_SIDE_PX / Math.min(width, height);
  return Math.min(1, Math.max(fitLong, keepShort) * reduction);
}

/** A larger scale when the text found was too small at `scale`; null when it was fine. */
export function rescaleForTextSize(boxes: DetectedBox[], scale: number): number | null {
  if (scale >= 1 || boxes.length === 0) return null;
  const heights = boxes.map((b) => b.kernelHeightPx).sort((a, b) => a - b);
  const median = heights[heights.length >> 1];
  if (median >= MIN_KERNEL_HEIGHT_PX) return null;
  return Math.min(1, (scale * TARGET_KERNEL_HEIGHT_PX) / Math.max(1, median));
}

export function detectorSize(
  width: number,
  height: number,
  scale: number,
): { width: number; height: number } {
  const round32 = (v: number) => Math.max(32, Math.round((v * scale) / 32) * 32);
  return { width: round32(width), height: round32(height) };
}

interface Span {
  start: number;
  size: number;
  coreStart: number;
  coreEnd: number;
}

/**
 * Cuts `length` into `count` evenly spaced spans of `size` (overlapping when they must), whose
 * cores meet in the middle of each overlap so that they partition the length.
 */
function evenSpans(length: number, size: number, count: number): Span[] {
  if (count <= 1) return [{ start: 0, size: length, coreStart: 0, coreEnd: length }];
  const starts = Array.from({ length: count }, (_, k) =>
    Math.round((k * (length - size)) / (count - 1)),
  );
  const boundary = (k: number) => Math.round((starts[k] + size + starts[k + 1]) / 2);
  return starts.map((start, k) => ({
    start,
    size,
    coreStart: k === 0 ? 0 : boundary(k - 1),
    coreEnd: k === count - 1 ? length : boundary(k),
  }));
}

/**
 * The fewest spans of at most `maxSize` that cover `length` with TILE_OVERLAP_PX overlaps;
 * their sizes are multiples of 32, as the detector needs.
 */
function spansOf(length: number, maxSize: number): Span[] {
  if (length <= maxSize) return evenSpans(length, length, 1);
  const limit = Math.max(2 * TILE_OVERLAP_PX, Math.floor(maxSize / 32) * 32);
  const count = Math.ceil((length - TILE_OVERLAP_PX) / (limit - TILE_OVERLAP_PX));
  const even = Math.ceil((length + (count - 1) * TILE_OVERLAP_PX) / count / 32) * 32;
  return evenSpans(length, Math.min(length, limit, even), count);
}

export interface Tile {
  region: PixelRegion;
  /** The part of the tile whose boxes it keeps (box centres), in detector pixels. */
  core: PixelRegion;
}

/**
 * Cuts a detector image into overlapping tiles: columns no wider than DETECTION_TILE_PX, then
 * rows (strips across the text lines, which cut no line lengthwise) small enough that a tile
 * holds at most DETECTION_TILE_MAX_PIXELS.
 *
 * KNOWN LIMITATION: a tile's piece of a very long line set upside down on an upright page (a
 * banner turned over) may score under the detector's box threshold and be dropped: the user sees
 * the line in two, without that piece's few words. Wider tiles only drop longer pieces.
 */
export function planTiles(width: number, height: number): Tile[] {
  const columns = spansOf(width, DETECTION_TILE_PX);
  const columnWidth = columns[0].size;
  const maxRowHeight = Math.min(
    DETECTION_TILE_PX,
    Math.max(2 * TILE_OVERLAP_PX, Math.floor(DETECTION_TILE_MAX_PIXELS / columnWidth)),
  );
  const tiles: Tile[] = [];
  for (const row of spansOf(height, maxRowHeight)) {
    for (const col of columns) {
      tiles.push({
        region: { x: col.start, y: row.start, width: col.size, height: row.size },
        core: {
          x: col.coreStart,
          y: row.coreStart,
          width: col.coreEnd - col.coreStart,
          height: row.coreEnd - row.coreStart,
        },
      });
    }
  }
  return tiles;
}

/** Whether a box (in page pixels) belongs to a tile: its centre lies in the tile's core. */
export function inTileCore(
  box: DetectedBox,
  tile: Tile,
  pageScale: { x: number; y: number },
): boolean {
  const x = box.rect.cx / pageScale.x;
  const y = box.rect.cy / pageScale.y;
  const { core } = tile;
  return x >= core.x && x < core.x + core.width && y >= core.y && y < core.y + core.height;
}

/** Drops boxes that lie mostly inside a larger box (the detector sometimes finds a word twice). */
export function dropContainedBoxes(boxes: DetectedBox[]): DetectedBox[] {
  const bounds = boxes.map((b) => {
    const xs = b.polygon.map((p) => p[0]);
    const ys = b.polygon.map((p) => p[1]);
    return { x0: Math.min(...xs), y0: Math.min(...ys), x1: Math.max(...xs), y1: Math.max(...ys) };
  });
  const area = (i: number) => (bounds[i].x1 - bounds[i].x0) * (bounds[i].y1 - bounds[i].y0);
  const order = boxes.map((_, i) => i).sort((a, b) => area(b) - area(a));
  const kept: number[] = [];
  for (const i of order) {
    const b = bounds[i];
    const inside = kept.some((k) => {
      const o = bounds[k];
      const w = Math.min(b.x1, o.x1) - Math.max(b.x0, o.x0);
      const h = Math.min(b.y1, o.y1) - Math.max(b.y0, o.y0);
      return w > 0 && h > 0 && (w * h) / Math.max(1, area(i)) > 0.8;
    });
    if (!inside) kept.push(i);
  }
  return kept.sort((a, b) => a - b).map((i) => boxes[i]);
}

/** Share of the detected text length that runs vertically (a sideways page reads mostly so). */
export function verticalShare(boxes: DetectedBox[]): number {
  let vertical = 0;
  let total = 0;
  for (const box of boxes) {
    total += box.rect.width;
    if (Math.abs(box.rect.uy) > Math.abs(box.rect.ux)) vertical += box.rect.width;
  }
  return total === 0 ? 0 : vertical / total;
}
