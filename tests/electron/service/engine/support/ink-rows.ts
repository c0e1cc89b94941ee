import { LINE_HEIGHT_PX } from '../../../../../electron/service/engine/line-sampler';

/** Counts the ink pixels of each row of a 48-row ink mask `widthPx` wide. */
export function inkPerRow(inkMask: Uint8Array, widthPx: number): Uint16Array {
  const counts = new Uint16Array(LINE_HEIGHT_PX);
  inkMask.forEach((ink, at) => (counts[Math.floor(at / widthPx)] += ink));
  return counts;
}
