/** Reads the text a PDF page carries itself (born-digital pages) with its place in pixels. */
import type { PDFPageProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { Box, Point } from '../../../shared/domain';
import type { SourceTextItem, SourceTextLayer } from '../engine/document-source';

/** The part of the viewport pdf.js gives us that this file needs. */
export interface ViewportLike {
  convertToViewportPoint(x: number, y: number): number[];
}

/** Share of a glyph's font size that lies below the baseline, for boxes that hold descenders. */
const DESCENT_RATIO = 0.22;

/**
 * The page's own text, or undefined when it has none: a scan, or a page whose only text is
 * whitespace. Invisible text (an earlier OCR layer) counts as text too.
 */
export async function readTextLayer(
  page: PDFPageProxy,
  viewport: ViewportLike,
): Promise<SourceTextLayer | undefined> {
  const content = await page.getTextContent();
  const items: SourceTextItem[] = [];
  for (const item of content.items) {
    // Marked-content markers carry no text; spaces are kept, pdf.js often gives them alone.
    if (!('str' in item) || (item.str === '' && !item.hasEOL)) continue;
    const polygon = itemPolygon(item, viewport);
    items.push({ text: item.str, box: boundingBox(polygon), polygon, endsLine: item.hasEOL });
  }
  const text = joinItems(items);
  if (text.trim() === '') return undefined;
  return { items, text };
}

interface PdfTextItem {
  transform: number[];
  width: number;
  height: number;
}

/**
 * Corners of one text run in page pixels, clockwise from its top-left as read: the run starts
 * at its baseline origin, advances along the text matrix's x axis by its width, and rises
 * along its y axis by its font size (less the part below the baseline).
 */
export function itemPolygon(item: PdfTextItem, viewport: ViewportLike): Point[] {
  const [a, b, c, d, e, f] = item.transform;
  const alongLength = Math.hypot(a, b) || 1;
  const upLength = Math.hypot(c, d) || 1;
  const along = [a / alongLength, b / alongLength];
  const up = [c / upLength, d / upLength];
  const fontSize = item.height || upLength;
  const bottomLeft = [e - up[0] * fontSize * DESCENT_RATIO, f - up[1] * fontSize * DESCENT_RATIO];
  const corner = (advance: number, rise: number): Point => {
    const [x, y] = viewport.convertToViewportPoint(
      bottomLeft[0] + along[0] * advance + up[0] * rise,
      bottomLeft[1] + along[1] * advance + up[1] * rise,
    );
    return [round2(x), round2(y)];
  };
  return [corner(0, fontSize), corner(item.width, fontSize), corner(item.width, 0), corner(0, 0)];
}

export function boundingBox(points: Point[]): Box {
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  const x = Math.min(...xs);
  const y = Math.min(...ys);
  return { x, y, width: Math.max(...xs) - x, height: Math.max(...ys) - y };
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

function joinItems(items: SourceTextItem[]): string {
  let text = '';
  for (const item of items) {
    text += item.text;
    if (item.endsLine) text += '\n';
  }
  return text.replace(/[ \t]+\n/g, '\n').trimEnd();
}
