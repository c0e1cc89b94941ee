import type { DecodedChar } from './ctc-decode';
import type { RgbImage } from './decode';
import type { RotatedRect } from './geometry';
import { longestWholeLinePx, type LineReading } from './page-ops';

/**
 * Pieces are planned this much shorter than the longest line the recogniser reads whole, so that
 * each cut can move to a word space nearby and no piece comes out longer than that.
 */
const PIECE_SHARE = 0.8;
/** How far a cut may move from its planned place, as a share of the longest whole line. */
const CUT_SEARCH_SHARE = (1 - PIECE_SHARE) / 2;
/**
 * Half the width of the blank a cut looks for, as a share of the line's height. Boxes stand about
 * a third taller than the ink, so a word space is 0.2 to 0.4 of the box's height and the blank
 * between two letters less than 0.1: a cut in a blank this wide falls between words.
 */
const CUT_HALF_GAP_OF_HEIGHT = 0.1;
/** Points across the line, in its middle band, that a column's ink is judged from. */
const INK_PROBES_ACROSS = 12;

/**
 * Cuts a line too long for the recogniser into pieces that it reads whole, each cut in the
 * widest blank near its planned place (a word space). Squeezed whole into the recogniser's
 * longest input, a banner or ticker tape 500 times as long as it is high became strokes it read
 * as one or two letters. A line short enough comes back as it is.
 */
export function cutLongLine(image: RgbImage, rect: RotatedRect): RotatedRect[] {
  const longestPx = longestWholeLinePx(rect.height);
  if (rect.width <= longestPx) return [rect];

  const count = Math.ceil(rect.width / (PIECE_SHARE * longestPx));
  const lightness = columnLightness(image, rect);
  const halfGapPx = Math.max(1, Math.round(CUT_HALF_GAP_OF_HEIGHT * rect.height));
  const searchPx = Math.floor(CUT_SEARCH_SHARE * longestPx);
  const cuts = [0];
  for (let k = 1; k < count; k++) {
    const planned = Math.round((k * rect.width) / count);
    cuts.push(blankestColumn(lightness, planned, searchPx, halfGapPx));
  }
  cuts.push(rect.width);

  return cuts.slice(1).map((end, k) => {
    const start = cuts[k];
    const shift = (start + end) / 2 - rect.width / 2;
    return {
      ...rect,
      width: end - start,
      cx: rect.cx + shift * rect.ux,
      cy: rect.cy + shift * rect.uy,
    };
  });
}

/**
 * Per page pixel along the line, the lightness (0..255) of its darkest point across the middle
 * of the line: a column with no ink is as light as the background.
 */
function columnLightness(image: RgbImage, rect: RotatedRect): Float32Array {
  const { data, width, height } = image;
  const length = Math.ceil(rect.width);
  const out = new Float32Array(length);
  const startX = rect.cx - (rect.width / 2) * rect.ux;
  const startY = rect.cy - (rect.width / 2) * rect.uy;
  for (let u = 0; u < length; u++) {
    let lightest = 255;
    for (let k = 0; k < INK_PROBES_ACROSS; k++) {
      // Across the middle 80% of the box, which leaves out the neighbouring lines' ascenders.
      const v = ((k + 0.5) / INK_PROBES_ACROSS - 0.5) * 0.8 * rect.height;
      const x = Math.floor(startX + (u + 0.5) * rect.ux - v * rect.uy);
      const y = Math.floor(startY + (u + 0.5) * rect.uy + v * rect.ux);
      if (x < 0 || y < 0 || x >= width || y >= height) continue;
      const at = (y * width + x) * 3;
      lightest = Math.min(lightest, (data[at] + data[at + 1] + data[at + 2]) / 3);
    }
    out[u] = lightest;
  }
  return out;
}

/**
 * The column within `searchPx` of `planned` whose neighbourhood of `halfGapPx` either side is
 * lightest (the middle of the widest blank there), the nearest to `planned` on a tie.
 */
function blankestColumn(
  lightness: Float32Array,
  planned: number,
  searchPx: number,
  halfGapPx: number,
): number {
  const neighbourhood = (at: number) => {
    let darkest = 255;
    const from = Math.max(0, at - halfGapPx);
    const to = Math.min(lightness.length - 1, at + halfGapPx);
    for (let u = from; u <= to; u++) darkest = Math.min(darkest, lightness[u]);
    return darkest;
  };
  let best = planned;
  let bestScore = neighbourhood(planned);
  for (let d = 1; d <= searchPx; d++) {
    for (const at of [planned - d, planned + d]) {
      if (at <= 0 || at >= lightness.length) continue;
      const score = neighbourhood(at);
      if (score > bestScore) {
        best = at;
        bestScore = score;
      }
    }
  }
  return best;
}

/**
 * One reading of a whole line from the readings of its pieces (cut by cutLongLine, in order
 * along it), with a space between pieces and every character placed along the whole line. A
 * line read turned over reads its pieces from its far end.
 */
export function joinPieceReadings(
  rect: RotatedRect,
  pieces: RotatedRect[],
  readings: LineReading[],
  flipped: boolean,
): LineReading {
  if (pieces.length === 1) return readings[0];
  const sampledWidthPx = readings.reduce((s, r) => s + r.sampledWidthPx, 0);
  const stepWidthPx = readings[0].stepWidthPx;
  // Merged steps per page pixel along the line.
  const stepsPerPx = sampledWidthPx / rect.width / stepWidthPx;

  let startPx = 0;
  const placed = pieces.map((piece, k) => {
    const reading = readings[k];
    const pieceStartPx = startPx;
    startPx += piece.width;
    const fromLineStartPx = flipped ? rect.width - pieceStartPx - piece.width : pieceStartPx;
    const pxPerStep = (reading.stepWidthPx / reading.sampledWidthPx) * piece.width;
    const toMerged = (step: number) => (fromLineStartPx + step * pxPerStep) * stepsPerPx;
    const chars = reading.chars.map((c) => ({
      ...c,
      firstStep: toMerged(c.firstStep),
      lastStep: toMerged(c.lastStep),
    }));
    return { chars, confidence: reading.confidence };
  });
  if (flipped) placed.reverse();

  const chars: DecodedChar[] = [];
  let weighted = 0;
  for (const piece of placed) {
    weighted += piece.confidence * piece.chars.length;
    const previous = chars[chars.length - 1];
    const next = piece.chars[0];
    if (previous && next && previous.char !== ' ' && next.char !== ' ') {
      chars.push({
        char: ' ',
        confidence: 1,
        firstStep: previous.lastStep,
        lastStep: next.firstStep,
      });
    }
    chars.push(...piece.chars);
  }
  const read = placed.reduce((s, p) => s + p.chars.length, 0);
  return {
    text: chars.map((c) => c.char).join(''),
    confidence: read === 0 ? 0 : weighted / read,
    chars,
    stepWidthPx,
    sampledWidthPx,
    flipped,
  };
}
