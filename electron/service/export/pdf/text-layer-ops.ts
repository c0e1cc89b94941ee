/**
 * The invisible text of one page as PDF content-stream operators: each line drawn in render
 * mode 3 (neither filled nor stroked) along its box, its font size the box's height and its
 * horizontal scaling chosen so the line spans exactly the box's width.
 */
import type { OcrLine, PageResult, Point } from '../../../../shared/domain';
import { DESCENT, GLYPH_ADVANCE, UNITS_PER_EM } from './glyphless-truetype';

export interface TextEncoder {
  encode(text: string): { hex: string; count: number };
}

/** How page pixels map onto the PDF page, in points, with y up from the bottom edge. */
export interface PixelToPoints {
  widthPt: number;
  heightPt: number;
  widthPx: number;
  heightPx: number;
}

const DESCENT_SHARE = -DESCENT / UNITS_PER_EM;
/** Lines thinner or shorter than this, in points, are noise and are left out. */
const MIN_EXTENT_PT = 0.5;

export function pageTextOperators(
  page: PageResult,
  fontResource: string,
  font: TextEncoder,
  area: PixelToPoints,
): string {
  const ops: string[] = [];
  for (const block of page.blocks) {
    for (const line of block.lines) {
      const lineOps = lineOperators(line, fontResource, font, area);
      if (lineOps) ops.push(lineOps);
    }
  }
  if (ops.length === 0) return '';
  return ['BT', '3 Tr', ...ops, 'ET'].join('\n');
}

function lineOperators(
  line: OcrLine,
  fontResource: string,
  font: TextEncoder,
  area: PixelToPoints,
): string | undefined {
  const text = line.text.replace(/\s+/g, ' ').trim();
  if (text === '') return undefined;
  const [topLeft, , bottomRight, bottomLeft] = lineCorners(line).map((p) => toPoints(p, area));

  // The baseline runs from the bottom-left to the bottom-right corner, as the line is read.
  const along = [bottomRight[0] - bottomLeft[0], bottomRight[1] - bottomLeft[1]];
  const lengthPt = Math.hypot(along[0], along[1]);
  const up = [topLeft[0] - bottomLeft[0], topLeft[1] - bottomLeft[1]];
  const heightPt = Math.hypot(up[0], up[1]);
  if (lengthPt < MIN_EXTENT_PT || heightPt < MIN_EXTENT_PT) return undefined;

  const dir = [along[0] / lengthPt, along[1] / lengthPt];
  const normal = [-dir[1], dir[0]];
  const origin = [
    bottomLeft[0] + normal[0] * heightPt * DESCENT_SHARE,
    bottomLeft[1] + normal[1] * heightPt * DESCENT_SHARE,
  ];
  const { hex, count } = font.encode(text);
  if (count === 0) return undefined;
  const naturalWidthPt = (count * GLYPH_ADVANCE * heightPt) / UNITS_PER_EM;
  const scalePercent = (100 * lengthPt) / naturalWidthPt;
  const matrix = [dir[0], dir[1], normal[0], normal[1], origin[0], origin[1]].map(num).join(' ');
  return `/${fontResource} ${num(heightPt)} Tf ${num(scalePercent)} Tz ${matrix} Tm ${hex} Tj`;
}

/** Top-left, top-right, bottom-right, bottom-left, as the text is read. */
function lineCorners(line: OcrLine): Point[] {
  if (line.polygon.length === 4) return line.polygon;
  const { x, y, width, height } = line.box;
  return [
    [x, y],
    [x + width, y],
    [x + width, y + height],
    [x, y + height],
  ];
}

function toPoints([x, y]: Point, area: PixelToPoints): Point {
  return [(x * area.widthPt) / area.widthPx, area.heightPt - (y * area.heightPt) / area.heightPx];
}

/** A number for a content stream: at most three decimals, no exponent. */
function num(value: number): string {
  const fixed = value.toFixed(3);
  return fixed.includes('.') ? fixed.replace(/\.?0+$/, '') : fixed;
}
