import type { Point } from '../../../shared/domain';
import {
  convexHull,
  minAreaRect,
  normaliseTextRect,
  rectCorners,
  type RotatedRect,
} from './geometry';

/** Parameters of differentiable-binarisation (DB) post-processing, as the models were trained. */
export interface DbParams {
  /** Probability above which a pixel is text. */
  binaryThreshold: number;
  /** Mean probability inside a box below which the box is dropped. */
  boxThreshold: number;
  /** How far a box is grown back out (the model predicts shrunk text kernels). */
  unclipRatio: number;
  /** Shortest side, in probability-map pixels, of a kept box. */
  minSidePx: number;
  maxCandidates: number;
}

export const DEFAULT_DB_PARAMS: DbParams = {
  binaryThreshold: 0.3,
  boxThreshold: 0.6,
  unclipRatio: 1.5,
  minSidePx: 3,
  maxCandidates: 1000,
};

export interface DetectedBox {
  /** The text line's rectangle in source-image pixels, width along the reading direction. */
  rect: RotatedRect;
  /** Corners in source-image pixels, clockwise from top-left. */
  polygon: Point[];
  score: number;
  /** Short side of the text kernel in probability-map pixels, before unclipping. */
  kernelHeightPx: number;
}

export interface ProbabilityMap {
  data: Float32Array;
  width: number;
  height: number;
}

/**
 * Turns a DB probability map into text-line rectangles, scaled to an image of
 * `targetWidth` x `targetHeight` pixels.
 */
export function boxesFromProbabilityMap(
  map: ProbabilityMap,
  targetWidth: number,
  targetHeight: number,
  params: DbParams = DEFAULT_DB_PARAMS,
): DetectedBox[] {
  const { width, height, data } = map;
  const scaleX = targetWidth / width;
  const scaleY = targetHeight / height;
  const components = findComponents(map, params.binaryThreshold);
  const boxes: DetectedBox[] = [];

  for (const component of components.slice(0, params.maxCandidates)) {
    const rect = minAreaRect(convexHull(component.xs, component.ys));
    if (Math.min(rect.width, rect.height) < params.minSidePx) continue;

    const score = meanInsideRect(data, width, height, rect);
    if (score < params.boxThreshold) continue;

    const grown = unclip(rect, params.unclipRatio);
    if (Math.min(grown.width, grown.height) < params.minSidePx + 2) continue;

    const scaled = normaliseTextRect(scaleRect(grown, scaleX, scaleY));
    const polygon = rectCorners(scaled).map(([x, y]): Point => [
      clamp(x, 0, targetWidth),
      clamp(y, 0, targetHeight),
    ]);
    boxes.push({ rect: scaled, polygon, score, kernelHeightPx: Math.min(rect.width, rect.height) });
  }
  return boxes;
}

interface Component {
  /** Left- and right-most pixel centres of each row the component spans. */
  xs: number[];
  ys: number[];
  pixels: number;
}

/** 8-connected components of the pixels above `threshold`, each reduced to its row extremes. */
function findComponents(map: ProbabilityMap, threshold: number): Component[] {
  const { width, height, data } = map;
  const visited = new Uint8Array(width * height);
  const stack = new Int32Array(width * height);
  const rowMin = new Int32Array(height);
  const rowMax = new Int32Array(height);
  const components: Component[] = [];

  for (let start = 0; start < data.length; start++) {
    if (visited[start] || data[start] <= threshold) continue;
    let top = 0;
    stack[top++] = start;
    visited[start] = 1;
    let minY = height;
    let maxY = -1;
    let pixels = 0;
    while (top > 0) {
      const idx = stack[--top];
      const y = (idx / width) | 0;
      const x = idx - y * width;
      pixels++;
      if (y < minY) {
        for (let r = y; r < (maxY < 0 ? y + 1 : minY); r++) {
          rowMin[r] = width;
          rowMax[r] = -1;
        }
        minY = y;
      }
      if (y > maxY) {
        for (let r = Math.max(maxY + 1, minY); r <= y; r++) {
          rowMin[r] = width;
          rowMax[r] = -1;
        }
        maxY = y;
      }
      if (x < rowMin[y]) rowMin[y] = x;
      if (x > rowMax[y]) rowMax[y] = x;
      for (let dy = -1; dy <= 1; dy++) {
        const ny = y + dy;
        if (ny < 0 || ny >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          if (nx < 0 || nx >= width) continue;
          const n = ny * width + nx;
          if (visited[n] || data[n] <= threshold) continue;
          visited[n] = 1;
          stack[top++] = n;
        }
      }
    }
    if (pixels < 4) continue;
    const xs: number[] = [];
    const ys: number[] = [];
    for (let r = minY; r <= maxY; r++) {
      if (rowMax[r] < 0) continue;
      xs.push(rowMin[r], rowMax[r]);
      ys.push(r, r);
    }
    components.push({ xs, ys, pixels });
  }
  return components;
}

/** Mean of `data` over the pixels whose centres fall inside the rotated rectangle. */
function meanInsideRect(
  data: Float32Array,
  width: number,
  height: number,
  rect: RotatedRect,
): number {
  const corners = rectCorners(rect);
  const minY = Math.max(0, Math.floor(Math.min(...corners.map((p) => p[1]))));
  const maxY = Math.min(height - 1, Math.ceil(Math.max(...corners.map((p) => p[1]))));
  let sum = 0;
  let count = 0;
  for (let y = minY; y <= maxY; y++) {
    const span = rowSpan(corners, y);
    if (!span) continue;
    const x0 = Math.max(0, Math.ceil(span[0]));
    const x1 = Math.min(width - 1, Math.floor(span[1]));
    const row = y * width;
    for (let x = x0; x <= x1; x++) sum += data[row + x];
    count += Math.max(0, x1 - x0 + 1);
  }
  return count === 0 ? 0 : sum / count;
}

/** Where the horizontal line at `y` crosses a convex polygon, as [left, right]. */
function rowSpan(polygon: Point[], y: number): [number, number] | null {
  let left = Infinity;
  let right = -Infinity;
  for (let i = 0; i < polygon.length; i++) {
    const [x0, y0] = polygon[i];
    const [x1, y1] = polygon[(i + 1) % polygon.length];
    if ((y < Math.min(y0, y1) || y > Math.max(y0, y1)) && !(y0 === y1 && y === y0)) continue;
    if (y0 === y1) {
      left = Math.min(left, x0, x1);
      right = Math.max(right, x0, x1);
      continue;
    }
    const x = x0 + ((y - y0) * (x1 - x0)) / (y1 - y0);
    left = Math.min(left, x);
    right = Math.max(right, x);
  }
  return left <= right ? [left, right] : null;
}

/** Grows a rectangle on every side by area * ratio / perimeter, as DB's unclip does. */
export function unclip(rect: RotatedRect, ratio: number): RotatedRect {
  const perimeter = 2 * (rect.width + rect.height);
  if (perimeter === 0) return rect;
  const distance = (rect.width * rect.height * ratio) / perimeter;
  return { ...rect, width: rect.width + 2 * distance, height: rect.height + 2 * distance };
}

function scaleRect(rect: RotatedRect, sx: number, sy: number): RotatedRect {
  // Scale the two axis vectors, then re-derive lengths and direction.
  const wx = rect.ux * rect.width * sx;
  const wy = rect.uy * rect.width * sy;
  const hx = -rect.uy * rect.height * sx;
  const hy = rect.ux * rect.height * sy;
  const width = Math.hypot(wx, wy);
  const height = Math.hypot(hx, hy);
  return {
    cx: rect.cx * sx,
    cy: rect.cy * sy,
    width,
    height,
    ux: width === 0 ? 1 : wx / width,
    uy: width === 0 ? 0 : wy / width,
  };
}

function clamp(value: number, min: number, max: number): number {
  return value < min ? min : value > max ? max : value;
}
