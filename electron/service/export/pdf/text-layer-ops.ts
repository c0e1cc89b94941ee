/**
 * The invisible text of one page as PDF content-stream operators, drawn in render mode 3
 * (neither filled nor stroked). Each line runs along its polygon's baseline with its height as
 * font size; each word starts where the recogniser found it and is scaled horizontally to
 * its width, so selection and search highlight the words on the picture. A line whose words
 * do not spell its text is drawn whole, scaled to the line's width.
 */
import type { OcrLine, OcrWord, PageResult, Point } from '../../../../shared/domain';
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
/** Lines or words thinner or shorter than this, in points, are noise and are left out. */
const MIN_EXTENT_PT = 0.5;
/** Narrowest gap kept between two words, as a share of the line's height. */
const MIN_WORD_GAP_SHARE = 0.3;

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

/** A line's baseline: where it starts, its direction and its normal (unit vectors), in points. */
interface Baseline {
  start: Point;
  dir: Point;
  normal: Point;
  lengthPt: number;
  heightPt: number;
}

function lineOperators(
  line: OcrLine,
  fontResource: string,
  font: TextEncoder,
  area: PixelToPoints,
): string | undefined {
  const text = line.text.replace(/\s+/g, ' ').trim();
  if (text === '') return undefined;
  const baseline = baselineOf(line, area);
  if (!baseline) return undefined;

  const sizeOp = `/${fontResource} ${num(baseline.heightPt)} Tf`;
  const words = wordsSpelling(line, text);
  const extents =
    words &&
    spacedApart(
      words.map((word) => extentAlong(word, baseline, area)),
      baseline,
    );
  const runs =
    words && extents
      ? words.map((word, i) => {
          const [from, to] = extents[i];
          const wordText = i < words.length - 1 ? `${word.text} ` : word.text;
          return runOperators(wordText, from, to - from, baseline, font, word.text);
        })
      : [runOperators(text, 0, baseline.lengthPt, baseline, font, text)];
  const drawn = runs.filter((run): run is string => run !== undefined);
  return drawn.length > 0 ? [sizeOp, ...drawn].join('\n') : undefined;
}

function baselineOf(line: OcrLine, area: PixelToPoints): Baseline | undefined {
  const [topLeft, , bottomRight, bottomLeft] = lineCorners(line).map((p) => toPoints(p, area));
  const along = [bottomRight[0] - bottomLeft[0], bottomRight[1] - bottomLeft[1]];
  const lengthPt = Math.hypot(along[0], along[1]);
  const heightPt = Math.hypot(topLeft[0] - bottomLeft[0], topLeft[1] - bottomLeft[1]);
  if (lengthPt < MIN_EXTENT_PT || heightPt < MIN_EXTENT_PT) return undefined;
  const dir: Point = [along[0] / lengthPt, along[1] / lengthPt];
  const normal: Point = [-dir[1], dir[0]];
  // Glyphs sit on the baseline, above the part of the box kept for descenders.
  const start: Point = [
    bottomLeft[0] + normal[0] * heightPt * DESCENT_SHARE,
    bottomLeft[1] + normal[1] * heightPt * DESCENT_SHARE,
  ];
  return { start, dir, normal, lengthPt, heightPt };
}

/**
 * Draws `text` from `fromPt` along the baseline, scaled so that its first `measured`
 * characters span `widthPt` (a trailing space then falls in the gap after the word).
 */
function runOperators(
  text: string,
  fromPt: number,
  widthPt: number,
  baseline: Baseline,
  font: TextEncoder,
  measured: string,
): string | undefined {
  if (widthPt < MIN_EXTENT_PT) return undefined;
  const { hex, count } = font.encode(text);
  const measuredCount = Math.min(count, font.encode(measured).count);
  if (measuredCount === 0) return undefined;
  const naturalWidthPt = (measuredCount * GLYPH_ADVANCE * baseline.heightPt) / UNITS_PER_EM;
  const scalePercent = (100 * widthPt) / naturalWidthPt;
  const { start, dir, normal } = baseline;
  const origin = [start[0] + dir[0] * fromPt, start[1] + dir[1] * fromPt];
  const matrix = [dir[0], dir[1], normal[0], normal[1], origin[0], origin[1]].map(num).join(' ');
  return `${num(scalePercent)} Tz ${matrix} Tm ${hex} Tj`;
}

/** The line's words when, joined by spaces, they spell its text; otherwise undefined. */
function wordsSpelling(line: OcrLine, text: string): OcrWord[] | undefined {
  const words = line.words.filter((w) => w.text.trim() !== '');
  if (words.length === 0) return undefined;
  const joined = words.map((w) => w.text.trim()).join(' ');
  return joined === text ? words : undefined;
}

/**
 * Word extents with at least a small gap between neighbours. Readers split words where glyphs
 * leave a gap; recognisers sometimes give touching boxes ("if" ending where "it" starts),
 * which would read back as one word. Each side of a too-narrow gap gives up half the shortfall.
 */
function spacedApart(extents: [number, number][], baseline: Baseline): [number, number][] {
  const minGapPt = baseline.heightPt * MIN_WORD_GAP_SHARE;
  const spaced = extents.map(([from, to]) => [from, to] as [number, number]);
  for (let i = 1; i < spaced.length; i++) {
    const previous = spaced[i - 1];
    const current = spaced[i];
    const shortfall = minGapPt - (current[0] - previous[1]);
    if (shortfall <= 0) continue;
    previous[1] = Math.max(
      previous[0] + (previous[1] - previous[0]) / 2,
      previous[1] - shortfall / 2,
    );
    current[0] = Math.min(current[0] + (current[1] - current[0]) / 2, current[0] + shortfall / 2);
  }
  return spaced;
}

/** Where a word's box starts and ends along the baseline, in points from its start. */
function extentAlong(word: OcrWord, baseline: Baseline, area: PixelToPoints): [number, number] {
  const { x, y, width, height } = word.box;
  const corners: Point[] = [
    [x, y],
    [x + width, y],
    [x + width, y + height],
    [x, y + height],
  ];
  const offsets = corners.map((corner) => {
    const [px, py] = toPoints(corner, area);
    return (px - baseline.start[0]) * baseline.dir[0] + (py - baseline.start[1]) * baseline.dir[1];
  });
  const clamp = (v: number) => Math.min(baseline.lengthPt, Math.max(0, v));
  return [clamp(Math.min(...offsets)), clamp(Math.max(...offsets))];
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
