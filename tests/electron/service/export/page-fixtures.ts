/** Hand-made page results and small checks shared by the export tests. */
import { execFileSync } from 'node:child_process';
import type { Box, OcrBlock, OcrLine, PageResult } from '../../../../shared/domain';

/** A line whose words share its width in proportion to their characters, as a recogniser's would. */
export function makeLine(text: string, box: Box, confidence = 0.93): OcrLine {
  const charWidth = box.width / Math.max(1, [...text].length);
  const words = [];
  let offset = 0;
  for (const word of text.split(' ')) {
    const length = [...word].length;
    if (length > 0) {
      const wordBox = {
        x: box.x + offset * charWidth,
        y: box.y,
        width: length * charWidth,
        height: box.height,
      };
      words.push({ text: word, confidence, box: wordBox });
    }
    offset += length + 1;
  }
  const { x, y, width, height } = box;
  return {
    text,
    confidence,
    box,
    polygon: [
      [x, y],
      [x + width, y],
      [x + width, y + height],
      [x, y + height],
    ],
    words,
    charConfidences: [...text].map(() => confidence),
  };
}

export function makeBlock(lines: OcrLine[]): OcrBlock {
  const x = Math.min(...lines.map((l) => l.box.x));
  const y = Math.min(...lines.map((l) => l.box.y));
  const right = Math.max(...lines.map((l) => l.box.x + l.box.width));
  const bottom = Math.max(...lines.map((l) => l.box.y + l.box.height));
  return { box: { x, y, width: right - x, height: bottom - y }, lines };
}

export function makePage(
  pageIndex: number,
  widthPx: number,
  heightPx: number,
  blocks: OcrBlock[],
): PageResult {
  return {
    pageIndex,
    widthPx,
    heightPx,
    rotation: 0,
    blocks,
    text: blocks.map((b) => b.lines.map((l) => l.text).join('\n')).join('\n\n'),
    confidence: 0.93,
    warnings: [],
    timingsMs: {
      decode: 1,
      detect: 1,
      classify: 1,
      recognize: 1,
      layout: 1,
      total: 5,
      inference: 3,
    },
    rssMb: 100,
  };
}

/** Edit distance between two strings (by code point) or two lists of words. */
export function editDistance(a: string | string[], b: string | string[]): number {
  const x = [...a];
  const y = [...b];
  let previous = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const current = [i];
    for (let j = 1; j <= y.length; j++) {
      const substitution = previous[j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j] + 1, current[j - 1] + 1, substitution));
    }
    previous = current;
  }
  return previous[y.length];
}

/** Character error rate of `actual` against `expected`, whitespace ignored. */
export function cerIgnoringSpace(expected: string, actual: string): number {
  const e = expected.replace(/\s+/g, '');
  const a = actual.replace(/\s+/g, '');
  return editDistance(e, a) / Math.max(1, [...e].length);
}

/** Word error rate of `actual` against `expected`: words split at whitespace. */
export function wordErrorRate(expected: string, actual: string): number {
  const e = expected.split(/\s+/).filter(Boolean);
  const a = actual.split(/\s+/).filter(Boolean);
  return editDistance(e, a) / Math.max(1, e.length);
}

export function pdftotext(args: string[], pdfPath: string): string {
  return execFileSync('pdftotext', [...args, pdfPath, '-'], { encoding: 'utf8' });
}

export function pdfPageCount(pdfPath: string): number {
  const info = execFileSync('pdfinfo', [pdfPath], { encoding: 'utf8' });
  return Number(/^Pages:\s+(\d+)/m.exec(info)?.[1]);
}

export interface BboxWord {
  page: number;
  text: string;
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
  pageWidth: number;
  pageHeight: number;
}

/** The words `pdftotext -bbox` finds, with their page (0-based) and boxes in points. */
export function pdfWordBoxes(pdfPath: string): BboxWord[] {
  const xhtml = pdftotext(['-bbox'], pdfPath);
  const words: BboxWord[] = [];
  const pages = xhtml.split('<page ').slice(1);
  pages.forEach((pageXml, page) => {
    const pageWidth = Number(/width="([\d.]+)"/.exec(pageXml)?.[1]);
    const pageHeight = Number(/height="([\d.]+)"/.exec(pageXml)?.[1]);
    const re =
      /<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">([^<]*)<\/word>/g;
    for (const m of pageXml.matchAll(re)) {
      words.push({
        page,
        xMin: Number(m[1]),
        yMin: Number(m[2]),
        xMax: Number(m[3]),
        yMax: Number(m[4]),
        text: unescapeXml(m[5]),
        pageWidth,
        pageHeight,
      });
    }
  });
  return words;
}

function unescapeXml(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}
