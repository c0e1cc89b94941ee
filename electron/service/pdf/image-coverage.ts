/**
 * How much of a PDF page its largest picture covers, from the page's operator list: tells a
 * scan that merely carries a little text (a stamped page number, a scanner's footer) from a
 * born-digital page, so that the scan is still read by OCR.
 */

/** pdf.js operator codes this file follows (its OPS table). */
export interface PaintOps {
  save: number;
  restore: number;
  transform: number;
  paintFormXObjectBegin: number;
  paintFormXObjectEnd: number;
  paintImageXObject: number;
  paintInlineImageXObject: number;
  paintImageMaskXObject: number;
  paintImageXObjectRepeat: number;
}

type Matrix = [number, number, number, number, number, number];

/**
 * Share (0..1) of the page's view box, [x1, y1, x2, y2] in user space, covered by the
 * bounding box of its largest image. Images are drawn on the unit square under the current
 * transformation matrix, which the operator list changes with transform, save and restore.
 */
export function largestImageShare(
  fnArray: number[],
  argsArray: unknown[],
  ops: PaintOps,
  view: number[],
): number {
  const [vx1, vy1, vx2, vy2] = view;
  const viewArea = Math.max(1e-6, (vx2 - vx1) * (vy2 - vy1));
  const imageOps = new Set([
    ops.paintImageXObject,
    ops.paintInlineImageXObject,
    ops.paintImageMaskXObject,
    ops.paintImageXObjectRepeat,
  ]);
  const stack: Matrix[] = [];
  let ctm: Matrix = [1, 0, 0, 1, 0, 0];
  let largest = 0;
  fnArray.forEach((fn, i) => {
    const args = argsArray[i] as unknown[] | null;
    if (fn === ops.save) stack.push(ctm);
    else if (fn === ops.restore) ctm = stack.pop() ?? ctm;
    else if (fn === ops.transform && args) ctm = multiply(args as Matrix, ctm);
    else if (fn === ops.paintFormXObjectBegin) {
      stack.push(ctm);
      const matrix = args?.[0] as Matrix | null | undefined;
      if (matrix) ctm = multiply(matrix, ctm);
    } else if (fn === ops.paintFormXObjectEnd) ctm = stack.pop() ?? ctm;
    else if (imageOps.has(fn)) {
      const [x1, y1, x2, y2] = unitSquareBounds(ctm);
      const width = Math.max(0, Math.min(x2, vx2) - Math.max(x1, vx1));
      const height = Math.max(0, Math.min(y2, vy2) - Math.max(y1, vy1));
      largest = Math.max(largest, (width * height) / viewArea);
    }
  });
  return Math.min(1, largest);
}

/** `m` applied first, then `n` (PDF's row-vector convention: m x n). */
function multiply(m: Matrix, n: Matrix): Matrix {
  return [
    m[0] * n[0] + m[1] * n[2],
    m[0] * n[1] + m[1] * n[3],
    m[2] * n[0] + m[3] * n[2],
    m[2] * n[1] + m[3] * n[3],
    m[4] * n[0] + m[5] * n[2] + n[4],
    m[4] * n[1] + m[5] * n[3] + n[5],
  ];
}

function unitSquareBounds(m: Matrix): [number, number, number, number] {
  const corners = [
    [0, 0],
    [1, 0],
    [0, 1],
    [1, 1],
  ].map(([x, y]) => [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]]);
  const xs = corners.map((c) => c[0]);
  const ys = corners.map((c) => c[1]);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}

/** A picture covering at least this share of the page makes it a scan... */
const SCAN_IMAGE_SHARE = 0.5;
/** ...unless its own text covers at least this share of it (an earlier OCR layer does). */
const TEXT_AREA_SHARE = 0.05;

/**
 * Whether a page's own text is worth keeping instead of OCR: not when the page is a scan
 * whose text covers little of it, such as a stamped page number or a scanner's footer.
 */
export function isOwnTextWorthKeeping(
  textBoxes: { width: number; height: number }[],
  imageShare: number,
  pageAreaPx: number,
): boolean {
  if (imageShare < SCAN_IMAGE_SHARE) return true;
  const textArea = textBoxes.reduce((sum, box) => sum + box.width * box.height, 0);
  return textArea / Math.max(1, pageAreaPx) >= TEXT_AREA_SHARE;
}
