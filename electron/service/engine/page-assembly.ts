import type { Box, OcrBlock, OcrLine, OcrWord, PageRotation, Point } from '../../../shared/domain';
import { boundingBox, rectCorners, unrotatePoint, type RotatedRect } from './geometry';
import { orderIntoBlocks, sharesRow } from './layout';
import type { LineReading } from './page-ops';

export interface AssemblyFrame {
  /** Clockwise turn, in degrees, applied to the page before detection. */
  quarterTurn: 0 | 90 | 270;
  /** Whether the page, after the quarter turn, reads upside down. */
  upsideDown: boolean;
  /** Size of the image detection ran on (after the quarter turn). */
  workWidth: number;
  workHeight: number;
}

/**
 * Builds lines with polygons, words and confidences in page coordinates, then blocks in reading
 * order, and the page's text: lines on one visual row joined by a space, rows by a newline,
 * blocks by a blank line.
 */
export function assembleBlocks(
  rects: RotatedRect[],
  readings: LineReading[],
  frame: AssemblyFrame,
): { blocks: OcrBlock[]; text: string } {
  const toPage = (p: Point): Point =>
    unrotatePoint(p, frame.quarterTurn, frame.workWidth, frame.workHeight);
  const toUpright = (p: Point): Point =>
    frame.upsideDown ? [frame.workWidth - p[0], frame.workHeight - p[1]] : p;

  const lines: OcrLine[] = [];
  const uprightBoxes: Box[] = [];
  rects.forEach((rect, i) => {
    const reading = readings[i];
    if (!reading || reading.text.length === 0) return;
    const corners = rectCorners(rect);
    // A line the classifier turned over starts at what was its bottom-right corner.
    const ordered = reading.flipped ? [corners[2], corners[3], corners[0], corners[1]] : corners;
    const polygon = ordered.map(toPage);
    lines.push({
      text: reading.text,
      confidence: reading.confidence,
      polygon,
      box: boundingBox(polygon),
      words: wordsOf(ordered, reading)
        .map((w) => ({ ...w, box: boundingBox(w.corners.map(toPage)) }))
        .map(({ text, confidence, box }): OcrWord => ({ text, confidence, box })),
      charConfidences: reading.chars.map((c) => c.confidence),
    });
    uprightBoxes.push(boundingBox(corners.map(toUpright)));
  });

  const order = orderIntoBlocks(uprightBoxes.map((box) => ({ box })));
  const blocks = order.map((indices) => {
    const blockLines = indices.map((i) => lines[i]);
    return { box: boundingBox(blockLines.flatMap((l) => l.polygon)), lines: blockLines };
  });
  const text = order.map((indices) => joinRows(indices, uprightBoxes, lines)).join('\n\n');
  return { blocks, text };
}

/**
 * A block's text: lines on one row joined by a space, rows by a newline, except that a word
 * broken at a row's end ("com-" then "pleting") is joined back.
 */
function joinRows(indices: number[], uprightBoxes: Box[], lines: OcrLine[]): string {
  let text = '';
  indices.forEach((lineIndex, k) => {
    const next = lines[lineIndex].text;
    if (k > 0 && sharesRow(uprightBoxes[indices[k - 1]], uprightBoxes[lineIndex])) {
      text += ' ';
    } else if (k > 0 && BROKEN_WORD_END.test(text) && BROKEN_WORD_START.test(next)) {
      text = text.slice(0, -1);
    } else if (k > 0) {
      text += '\n';
    }
    text += next;
  });
  return text;
}

/** A row ending in a letter and a hyphen, and a row going on in lower case: one word, broken. */
const BROKEN_WORD_END = /\p{L}\p{Ll}-$/u;
const BROKEN_WORD_START = /^\p{Ll}/u;

/** Splits a reading into words at spaces, each with the corners of its stretch of the line. */
function wordsOf(
  corners: Point[],
  reading: LineReading,
): { text: string; confidence: number; corners: Point[] }[] {
  const [tl, tr, br, bl] = corners;
  const along = (a: Point, b: Point, t: number): Point => [
    a[0] + (b[0] - a[0]) * t,
    a[1] + (b[1] - a[1]) * t,
  ];
  const words: { text: string; confidence: number; corners: Point[] }[] = [];
  let start = 0;
  const chars = reading.chars;
  for (let i = 0; i <= chars.length; i++) {
    if (i < chars.length && chars[i].char !== ' ') continue;
    if (i > start) {
      const part = chars.slice(start, i);
      // Each character spans its time steps, widened by half a step on either side.
      const from = Math.max(
        0,
        ((part[0].firstStep - 0.5) * reading.stepWidthPx) / reading.sampledWidthPx,
      );
      const to = Math.min(
        1,
        ((part[part.length - 1].lastStep + 1.5) * reading.stepWidthPx) / reading.sampledWidthPx,
      );
      words.push({
        text: part.map((c) => c.char).join(''),
        confidence: part.reduce((s, c) => s + c.confidence, 0) / part.length,
        corners: [along(tl, tr, from), along(tl, tr, to), along(bl, br, to), along(bl, br, from)],
      });
    }
    start = i + 1;
  }
  return words;
}

export function rotationOf(frame: AssemblyFrame): PageRotation {
  return ((frame.quarterTurn + (frame.upsideDown ? 180 : 0)) % 360) as PageRotation;
}
