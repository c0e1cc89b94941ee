/**
 * Turns a born-digital page's own text into the blocks, lines and words of a page result, so
 * a task that keeps PDF text instead of running OCR stores the same shape as any other page.
 * The text is the PDF's, so every confidence is 1.
 */
import type { OcrBlock, OcrLine, OcrWord, Point } from '../../../shared/domain';
import type { SourceTextItem, SourceTextLayer } from '../engine/document-source';
import { boundingBox } from './text-layer';

/** A run starting further than this many line heights from the previous one starts a new line. */
const LINE_BREAK_HEIGHTS = 1.5;
/** A line starting further than this many line heights below the previous one starts a block. */
const BLOCK_BREAK_HEIGHTS = 2.2;

export function blocksFromTextLayer(layer: SourceTextLayer): OcrBlock[] {
  const lines = groupIntoLines(layer.items).map(lineFromItems);
  const blocks: OcrLine[][] = [];
  for (const line of lines) {
    const current = blocks[blocks.length - 1];
    const previous = current?.[current.length - 1];
    if (
      previous &&
      distance(previous.polygon[3], line.polygon[3]) <= heightOf(previous) * BLOCK_BREAK_HEIGHTS
    ) {
      current.push(line);
    } else {
      blocks.push([line]);
    }
  }
  return blocks.map((blockLines) => ({
    box: boundingBox(blockLines.flatMap((l) => l.polygon)),
    lines: blockLines,
  }));
}

/**
 * Runs make a line until one ends it; a run far from the previous one starts anew. A line end
 * pdf.js reports between two runs on one baseline, the second just after the first (as in
 * searchable PDFs that place each word on its own), is not one.
 */
function groupIntoLines(items: SourceTextItem[]): SourceTextItem[][] {
  const lines: SourceTextItem[][] = [];
  let current: SourceTextItem[] = [];
  items.forEach((item, i) => {
    const last = current[current.length - 1];
    const lineHeight = last ? heightOfRun(last) : 0;
    if (last && distance(last.polygon[2], item.polygon[3]) > lineHeight * LINE_BREAK_HEIGHTS) {
      lines.push(current);
      current = [];
    }
    current.push(item);
    const next = items[i + 1];
    if (item.endsLine && !(next && gapAlong(item, next) !== null)) {
      lines.push(current);
      current = [];
    }
  });
  if (current.length > 0) lines.push(current);
  return lines.filter((line) => line.some((item) => item.text.trim() !== ''));
}

/** Share of the line height that a gap between two runs must reach to part two words. */
const WORD_GAP_HEIGHTS = 0.25;

/**
 * How far `next` starts after `run` ends, along `run`'s baseline, in line heights; null when
 * it does not carry on the same line (off the baseline by half a height or more, or starting
 * before `run` ends by more than half a height, or further on than the line-break distance).
 */
function gapAlong(run: SourceTextItem, next: SourceTextItem): number | null {
  const [, , end, start] = run.polygon;
  const height = heightOfRun(run);
  const length = distance(start, end);
  if (height === 0 || length === 0) return null;
  const dir = [(end[0] - start[0]) / length, (end[1] - start[1]) / length];
  const offset = [next.polygon[3][0] - end[0], next.polygon[3][1] - end[1]];
  const along = (offset[0] * dir[0] + offset[1] * dir[1]) / height;
  const across = Math.abs(offset[0] * -dir[1] + offset[1] * dir[0]) / height;
  if (across >= 0.5 || along < -0.5 || along > LINE_BREAK_HEIGHTS) return null;
  return along;
}

function heightOfRun(run: SourceTextItem): number {
  return distance(run.polygon[0], run.polygon[3]);
}

function lineFromItems(items: SourceTextItem[]): OcrLine {
  const words = wordsOfLine(items);
  const text = words.map((w) => w.text).join(' ');
  const first = items[0].polygon;
  const last = items[items.length - 1].polygon;
  const polygon: Point[] = [first[0], last[1], last[2], first[3]];
  return {
    text,
    confidence: 1,
    polygon,
    box: boundingBox(items.flatMap((i) => i.polygon)),
    words,
    charConfidences: Array.from(text, () => 1),
  };
}

/**
 * Splits a line's runs at whitespace. A word may span runs (pdf.js breaks runs where the
 * font or spacing changes); each character takes an equal share of its run's length.
 */
function wordsOfLine(items: SourceTextItem[]): OcrWord[] {
  const words: OcrWord[] = [];
  let text = '';
  let corners: Point[] = [];
  const finish = () => {
    if (text !== '') words.push({ text, confidence: 1, box: boundingBox(corners) });
    text = '';
    corners = [];
  };
  items.forEach((item, i) => {
    // Two runs with a clear gap between them are two words, with or without a space character.
    const gap = i > 0 ? gapAlong(items[i - 1], item) : null;
    if (gap !== null && gap > WORD_GAP_HEIGHTS) finish();
    const chars = [...item.text];
    chars.forEach((ch, k) => {
      if (ch.trim() === '') return finish();
      const [tl, tr, br, bl] = slice(item.polygon, k / chars.length, (k + 1) / chars.length);
      corners = text === '' ? [tl, tr, br, bl] : [corners[0], tr, br, corners[3]];
      text += ch;
    });
  });
  finish();
  return words;
}

/** The part of a run's polygon between fractions `from` and `to` of its length. */
function slice([tl, tr, br, bl]: Point[], from: number, to: number): Point[] {
  const at = (p: Point, q: Point, t: number): Point => [
    p[0] + (q[0] - p[0]) * t,
    p[1] + (q[1] - p[1]) * t,
  ];
  return [at(tl, tr, from), at(tl, tr, to), at(bl, br, to), at(bl, br, from)];
}

function distance(p: Point, q: Point): number {
  return Math.hypot(p[0] - q[0], p[1] - q[1]);
}

function heightOf(line: OcrLine): number {
  return distance(line.polygon[0], line.polygon[3]);
}
