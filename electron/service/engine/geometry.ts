import type { Box, Point } from '../../../shared/domain';

/** A rotated rectangle: centre, size along its own axes, and the unit vector of its width axis. */
export interface RotatedRect {
  cx: number;
  cy: number;
  /** Extent along (ux, uy), in pixels. */
  width: number;
  /** Extent along the perpendicular (-uy, ux), in pixels. */
  height: number;
  ux: number;
  uy: number;
}

/** Convex hull by the monotone chain; `xs`/`ys` are point coordinates. Returns hull points in order. */
export function convexHull(xs: number[], ys: number[]): Point[] {
  const order = xs.map((_, i) => i).sort((a, b) => xs[a] - xs[b] || ys[a] - ys[b]);
  const cross = (o: Point, a: Point, b: Point): number =>
    (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  const lower: Point[] = [];
  for (const i of order) {
    const p: Point = [xs[i], ys[i]];
    while (lower.length >= 2 && cross(lower[lower.length - 2], lower[lower.length - 1], p) <= 0) {
      lower.pop();
    }
    lower.push(p);
  }
  const upper: Point[] = [];
  for (let k = order.length - 1; k >= 0; k--) {
    const i = order[k];
    const p: Point = [xs[i], ys[i]];
    while (upper.length >= 2 && cross(upper[upper.length - 2], upper[upper.length - 1], p) <= 0) {
      upper.pop();
    }
    upper.push(p);
  }
  lower.pop();
  upper.pop();
  return lower.concat(upper);
}

/** The rectangle of least area around a convex hull (rotating calipers over the hull's edges). */
export function minAreaRect(hull: Point[]): RotatedRect {
  if (hull.length === 1) {
    return { cx: hull[0][0], cy: hull[0][1], width: 0, height: 0, ux: 1, uy: 0 };
  }
  let best: RotatedRect | null = null;
  let bestArea = Infinity;
  for (let i = 0; i < hull.length; i++) {
    const a = hull[i];
    const b = hull[(i + 1) % hull.length];
    const len = Math.hypot(b[0] - a[0], b[1] - a[1]);
    if (len === 0) continue;
    const ux = (b[0] - a[0]) / len;
    const uy = (b[1] - a[1]) / len;
    let minU = Infinity;
    let maxU = -Infinity;
    let minV = Infinity;
    let maxV = -Infinity;
    for (const p of hull) {
      const u = p[0] * ux + p[1] * uy;
      const v = -p[0] * uy + p[1] * ux;
      if (u < minU) minU = u;
      if (u > maxU) maxU = u;
      if (v < minV) minV = v;
      if (v > maxV) maxV = v;
    }
    const area = (maxU - minU) * (maxV - minV);
    if (area < bestArea) {
      bestArea = area;
      const cu = (minU + maxU) / 2;
      const cv = (minV + maxV) / 2;
      best = {
        cx: cu * ux - cv * uy,
        cy: cu * uy + cv * ux,
        width: maxU - minU,
        height: maxV - minV,
        ux,
        uy,
      };
    }
  }
  return best ?? { cx: hull[0][0], cy: hull[0][1], width: 0, height: 0, ux: 1, uy: 0 };
}

/**
 * Re-expresses a rectangle so that its width axis is the reading direction of a text line:
 * the axis nearer horizontal, unless the other is clearly longer (a vertical line). The
 * direction points right, or down for a vertical line.
 */
export function normaliseTextRect(rect: RotatedRect): RotatedRect {
  let { width, height, ux, uy } = rect;
  const widthIsHorizontal = Math.abs(ux) >= Math.abs(uy);
  let swap = !widthIsHorizontal;
  const horizontalLength = widthIsHorizontal ? width : height;
  const verticalLength = widthIsHorizontal ? height : width;
  if (verticalLength >= VERTICAL_LINE_RATIO * horizontalLength) swap = !swap;
  if (swap) {
    [width, height] = [height, width];
    [ux, uy] = [-uy, ux];
  }
  const pointsBackwards = Math.abs(ux) >= Math.abs(uy) ? ux < 0 : uy < 0;
  if (pointsBackwards) {
    ux = -ux;
    uy = -uy;
  }
  return { cx: rect.cx, cy: rect.cy, width, height, ux, uy };
}

/** How much longer a box's vertical side must be for it to read top to bottom. */
const VERTICAL_LINE_RATIO = 1.5;

/** Corners clockwise from the start of the reading direction: top-left, top-right, bottom-right, bottom-left. */
export function rectCorners(rect: RotatedRect): Point[] {
  const hw = rect.width / 2;
  const hh = rect.height / 2;
  const vx = -rect.uy;
  const vy = rect.ux;
  const at = (su: number, sv: number): Point => [
    rect.cx + su * hw * rect.ux + sv * hh * vx,
    rect.cy + su * hw * rect.uy + sv * hh * vy,
  ];
  return [at(-1, -1), at(1, -1), at(1, 1), at(-1, 1)];
}

export function boundingBox(points: Point[]): Box {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const [x, y] of points) {
    if (x < minX) minX = x;
    if (y < minY) minY = y;
    if (x > maxX) maxX = x;
    if (y > maxY) maxY = y;
  }
  return { x: minX, y: minY, width: maxX - minX, height: maxY - minY };
}

/** Maps a point of an image rotated clockwise by `degrees` back to the unrotated image. */
export function unrotatePoint(
  p: Point,
  degrees: 0 | 90 | 180 | 270,
  rotatedWidth: number,
  rotatedHeight: number,
): Point {
  const [x, y] = p;
  switch (degrees) {
    case 0:
      return [x, y];
    case 90:
      return [y, rotatedWidth - x];
    case 180:
      return [rotatedWidth - x, rotatedHeight - y];
    case 270:
      return [rotatedHeight - y, x];
  }
}
