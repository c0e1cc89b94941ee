/** Reads the text a PDF page carries itself (born-digital pages) with its boxes in pixels. */
import type { PDFPageProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { Box } from '../../../shared/domain';
import type { SourceTextItem, SourceTextLayer } from '../engine/document-source';

/** The part of the viewport pdf.js gives us that this file needs. */
export interface ViewportLike {
  convertToViewportRectangle(rect: number[]): number[];
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
    if (!('str' in item)) continue;
    if (item.str.trim() === '' && !item.hasEOL) continue;
    items.push({ text: item.str, box: itemBox(item, viewport), endsLine: item.hasEOL });
  }
  const text = joinItems(items);
  if (text.trim() === '') return undefined;
  return { items: items.filter((item) => item.text.trim() !== ''), text };
}

interface PdfTextItem {
  transform: number[];
  width: number;
  height: number;
}

/** Box of one text run: its baseline start, advance width and font size, in page pixels. */
export function itemBox(item: PdfTextItem, viewport: ViewportLike): Box {
  const [a, b, , , e, f] = item.transform;
  const fontSize = item.height || Math.hypot(a, b);
  const rect = viewport.convertToViewportRectangle([
    e,
    f - fontSize * DESCENT_RATIO,
    e + item.width,
    f + fontSize * (1 - DESCENT_RATIO),
  ]);
  const x = Math.min(rect[0], rect[2]);
  const y = Math.min(rect[1], rect[3]);
  return {
    x: Math.round(x),
    y: Math.round(y),
    width: Math.round(Math.abs(rect[2] - rect[0])),
    height: Math.round(Math.abs(rect[3] - rect[1])),
  };
}

function joinItems(items: SourceTextItem[]): string {
  let text = '';
  for (const item of items) {
    text += item.text;
    if (item.endsLine) text += '\n';
  }
  return text.replace(/[ \t]+\n/g, '\n').trimEnd();
}
