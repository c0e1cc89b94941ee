import type { DetectedBox } from './db-postprocess';
import type { Point } from '../../../shared/domain';
import { rectCorners, type RotatedRect } from './geometry';

/**
 * Two pieces of one line may stand this far apart along it, in shares of the smaller one's
 * height, to be joined. Detection boxes stand about a third of their height taller than the
 * ink, so a word space is 0.2 to 0.4 of a box's height; the gaps between the fields of a form
 * or the columns of a receipt are several heights.
 */
const FRAGMENT_GAP_OF_HEIGHT = 0.5;
/** Centres of the pieces of one line lie within this share of the smaller height across it. */
const FRAGMENT_OFFSET_OF_HEIGHT = 0.25;
/** Heights of the pieces of one line differ by at most this ratio. */
const FRAGMENT_HEIGHT_RATIO = 1.4;
/** Sine of the largest angle between the directions of two pieces of one line. */
const FRAGMENT_MAX_SKEW = 0.05;

/**
 * Joins the pieces a line was detected in. The detector breaks lines at wide word spaces
 * (justified book text), and each grown piece then reaches into its neighbour's last letter,
 * which the recogniser reads as a stray "1", "!" or ")"; read whole, the line has neither
 * the stray marks nor the broken context at each break.
 */
export function joinLineFragments(boxes: DetectedBox[]): DetectedBox[] {
  const order = boxes
    .map((_, i) => i)
    .sort((a, b) => alongStart(boxes[a].rect) - alongStart(boxes[b].rect));
  const joined: DetectedBox[] = [];
  for (const i of order) {
    const box = boxes[i];
    const k = joined.findIndex((line) => continues(line.rect, box.rect));
    if (k < 0) joined.push(box);
    else joined[k] = join(joined[k], box);
  }
  return joined;
}

/** Where a rectangle starts along its reading direction, projected on that direction. */
function alongStart(rect: RotatedRect): number {
  return rect.cx * rect.ux + rect.cy * rect.uy - rect.width / 2;
}

/** Whether `next` carries on the line `line` along its reading direction, after a short gap. */
function continues(line: RotatedRect, next: RotatedRect): boolean {
  const skew = Math.abs(line.ux * next.uy - line.uy * next.ux);
  if (skew > FRAGMENT_MAX_SKEW || line.ux * next.ux + line.uy * next.uy <= 0) return false;

  const smaller = Math.min(line.height, next.height);
  if (Math.max(line.height, next.height) > FRAGMENT_HEIGHT_RATIO * smaller) return false;

  const dx = next.cx - line.cx;
  const dy = next.cy - line.cy;
  const across = -dx * line.uy + dy * line.ux;
  if (Math.abs(across) > FRAGMENT_OFFSET_OF_HEIGHT * smaller) return false;

  const along = dx * line.ux + dy * line.uy;
  const gap = along - line.width / 2 - next.width / 2;
  // `next` must go on past the line's end, not lie inside it.
  const beyond = along + next.width / 2 - line.width / 2;
  return gap <= FRAGMENT_GAP_OF_HEIGHT * smaller && beyond > 0;
}

/**
 * One box spanning both pieces at their mean height, along the axis of all their corners. A long
 * line comes in many pieces (one per detection tile), and the first piece's direction, a
 * thousandth of a radian off, would carry the box a line's height off the text 20,000 px on.
 */
function join(first: DetectedBox, second: DetectedBox): DetectedBox {
  const a = first.rect;
  const b = second.rect;
  const [ux, uy] = principalAxis([...rectCorners(a), ...rectCorners(b)], a);

  // Across the line: the pieces' centres and heights weighed by their lengths.
  const weight = a.width + b.width;
  const cx = (a.cx * a.width + b.cx * b.width) / weight;
  const cy = (a.cy * a.width + b.cy * b.width) / weight;
  const height = (a.height * a.width + b.height * b.width) / weight;

  const project = (p: Point) => (p[0] - cx) * ux + (p[1] - cy) * uy;
  const alongs = [...rectCorners(a), ...rectCorners(b)].map(project);
  const start = Math.min(...alongs);
  const end = Math.max(...alongs);
  const mid = (start + end) / 2;
  const rect: RotatedRect = {
    cx: cx + mid * ux,
    cy: cy + mid * uy,
    width: end - start,
    height,
    ux,
    uy,
  };
  return {
    rect,
    polygon: rectCorners(rect),
    score: (first.score * a.width + second.score * b.width) / weight,
    kernelHeightPx: Math.min(first.kernelHeightPx, second.kernelHeightPx),
  };
}

/** The direction of least squares through `points`, pointing the way `like` reads. */
function principalAxis(points: Point[], like: RotatedRect): [number, number] {
  const mx = points.reduce((s, p) => s + p[0], 0) / points.length;
  const my = points.reduce((s, p) => s + p[1], 0) / points.length;
  let xx = 0;
  let xy = 0;
  let yy = 0;
  for (const [x, y] of points) {
    xx += (x - mx) * (x - mx);
    xy += (x - mx) * (y - my);
    yy += (y - my) * (y - my);
  }
  const angle = Math.atan2(2 * xy, xx - yy) / 2;
  const ux = Math.cos(angle);
  const uy = Math.sin(angle);
  return ux * like.ux + uy * like.uy >= 0 ? [ux, uy] : [-ux, -uy];
}

/**
 * How far each end of a line is carried on, in shares of its height, for the recogniser. The
 * detector's boxes end close to the last letter and leave out small marks after it (a full
 * stop, a comma, a closing quote) or before the first: "lazy fox." was read "lazy fox" at the
 * end of a page, though the same words read whole inside a line.
 */
const END_PAD_OF_HEIGHT = 0.2;

/**
 * Lengthens each line at both ends by END_PAD_OF_HEIGHT of its height, but never more than
 * halfway to another box on its row, so that the pad cannot take in a neighbour's letters.
 */
export function padLineEnds(boxes: DetectedBox[]): DetectedBox[] {
  return boxes.map((box, i) => {
    const r = box.rect;
    let before = END_PAD_OF_HEIGHT * r.height;
    let after = before;
    boxes.forEach((other, k) => {
      if (k === i || !sameRow(r, other.rect)) return;
      const along = (other.rect.cx - r.cx) * r.ux + (other.rect.cy - r.cy) * r.uy;
      const gap = Math.abs(along) - r.width / 2 - other.rect.width / 2;
      if (along > 0) after = Math.max(0, Math.min(after, gap / 2));
      else before = Math.max(0, Math.min(before, gap / 2));
    });
    if (before === 0 && after === 0) return box;
    const shift = (after - before) / 2;
    const rect: RotatedRect = {
      ...r,
      cx: r.cx + shift * r.ux,
      cy: r.cy + shift * r.uy,
      width: r.width + before + after,
    };
    return { ...box, rect, polygon: rectCorners(rect) };
  });
}

/** Whether two boxes overlap across `line`'s direction by half the smaller height. */
function sameRow(line: RotatedRect, other: RotatedRect): boolean {
  const across = -(other.cx - line.cx) * line.uy + (other.cy - line.cy) * line.ux;
  const overlap = (line.height + other.height) / 2 - Math.abs(across);
  return overlap > 0.5 * Math.min(line.height, other.height);
}
