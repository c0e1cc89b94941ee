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

/** Runs up to the one that ends a line make a line; a run far from the previous one starts anew. */
function groupIntoLines(items: SourceTextItem[]): SourceTextItem[][] {
  const lines: SourceTextItem[][] = [];
  let current: SourceTextItem[] = [];
  for (const item of items) {
    const last = current[current.length - 1];
    const lineHeight = last ? distance(last.polygon[0], last.polygon[3]) : 0;
    if (last && distance(last.polygon[2], item.polygon[3]) > lineHeight * LINE_BREAK_HEIGHTS) {
      lines.push(current);
      current = [];
    }
    current.push(item);
    if (item.endsLine) {
      lines.push(current);
      current = [];
    }
  }
  if (current.length > 0) lines.push(current);
  return lines.filter((line) => line.some((item) => item.text.trim() !== ''));
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
  for (const item of items) {
    const chars = [...item.text];
    chars.forEach((ch, k) => {
      if (ch.trim() === '') return finish();
      const [tl, tr, br, bl] = slice(item.polygon, k / chars.length, (k + 1) / chars.length);
      corners = text === '' ? [tl, tr, br, bl] : [corners[0], tr, br, corners[3]];
      text += ch;
    });
  }
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
