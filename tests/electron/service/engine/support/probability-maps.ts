/** Synthetic DB probability maps: rectangles of known size, angle and probability. */
import type { ProbabilityMap } from '../../../../../electron/service/engine/db-postprocess';

export function emptyMap(width: number, height: number): ProbabilityMap {
  return { data: new Float32Array(width * height), width, height };
}

/** Sets pixels x0..x1-1, y0..y1-1 to `probability`. */
export function paintRect(
  map: ProbabilityMap,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
  probability: number,
): void {
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) map.data[y * map.width + x] = probability;
  }
}

/**
 * Sets every pixel whose centre lies inside a rectangle of `widthPx` x `heightPx`, centred at
 * (cx, cy) and turned `angleDeg` clockwise (y down), to `probability`.
 */
export function paintRotatedRect(
  map: ProbabilityMap,
  rect: { cx: number; cy: number; widthPx: number; heightPx: number; angleDeg: number },
  probability: number,
): void {
  const angle = (rect.angleDeg * Math.PI) / 180;
  const ux = Math.cos(angle);
  const uy = Math.sin(angle);
  for (let y = 0; y < map.height; y++) {
    for (let x = 0; x < map.width; x++) {
      const dx = x + 0.5 - rect.cx;
      const dy = y + 0.5 - rect.cy;
      const along = dx * ux + dy * uy;
      const across = -dx * uy + dy * ux;
      if (Math.abs(along) <= rect.widthPx / 2 && Math.abs(across) <= rect.heightPx / 2) {
        map.data[y * map.width + x] = probability;
      }
    }
  }
}
