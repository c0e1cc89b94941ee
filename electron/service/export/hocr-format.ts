/**
 * hOCR (XHTML with OCR properties in `title`), as the hOCR 1.2 specification lays it out:
 * ocr_page > ocr_carea > ocr_par > ocr_line > ocrx_word, each with its bbox (x0 y0 x1 y1 in
 * page pixels) and each word with x_wconf (confidence, 0..100).
 */
import type { Box, ExportDocument, OcrLine, OcrWord, PageResult } from '../../../shared/domain';
import { xmlAttr, xmlText } from './xml-text';

export function toHocr(doc: ExportDocument): string {
  const pages = doc.pages.map((page) => hocrPage(page, doc.sourcePath)).join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN"
  "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="en" lang="en">
<head>
<title>${xmlText(baseName(doc.sourcePath))}</title>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<meta name="ocr-system" content="OCR Desk" />
<meta name="ocr-capabilities" content="ocr_page ocr_carea ocr_par ocr_line ocrx_word ocrp_wconf" />
<meta name="ocr-number-of-pages" content="${doc.info.pageCount}" />
</head>
<body>
${pages}
</body>
</html>
`;
}

function hocrPage(page: PageResult, sourcePath: string): string {
  const n = page.pageIndex + 1;
  const pageBox = { x: 0, y: 0, width: page.widthPx, height: page.heightPx };
  const title = `image "${sourcePath.replace(/"/g, '')}"; ${bbox(pageBox)}; ppageno ${page.pageIndex}`;
  const blocks = page.blocks.map((block, b) => {
    const id = `${n}_${b + 1}`;
    const lines = block.lines.map((line, l) => hocrLine(line, `${id}_${l + 1}`)).join('\n');
    return [
      `  <div class="ocr_carea" id="block_${id}" title="${bbox(block.box)}">`,
      `   <p class="ocr_par" id="par_${id}" title="${bbox(block.box)}">`,
      lines,
      '   </p>',
      '  </div>',
    ].join('\n');
  });
  return [
    ` <div class="ocr_page" id="page_${n}" title="${xmlAttr(title)}">`,
    ...blocks,
    ' </div>',
  ].join('\n');
}

function hocrLine(line: OcrLine, id: string): string {
  const words = wordsOf(line)
    .map(
      (word, w) =>
        `<span class="ocrx_word" id="word_${id}_${w + 1}" title="${bbox(word.box)}; x_wconf ${percent(word.confidence)}">${xmlText(word.text)}</span>`,
    )
    .join(' ');
  const title = `${bbox(line.box)}; ${baseline(line)}; x_size ${Math.round(line.box.height)}`;
  return `    <span class="ocr_line" id="line_${id}" title="${title}">${words}</span>`;
}

/**
 * hOCR's baseline: slope, and offset in pixels from the bottom-left corner of the bbox, of the
 * line's lower edge as read (its polygon runs clockwise from the top-left as read).
 */
function baseline(line: OcrLine): string {
  if (line.polygon.length !== 4) return 'baseline 0 0';
  const [, , [x2, y2], [x3, y3]] = line.polygon;
  const slope = x2 !== x3 ? (y2 - y3) / (x2 - x3) : 0;
  const bottom = line.box.y + line.box.height;
  const offset = y3 + slope * (line.box.x - x3) - bottom;
  return `baseline ${Number(slope.toFixed(3))} ${Math.round(offset)}`;
}

/** A line the engine did not split into words is one word spanning the line. */
export function wordsOf(line: OcrLine): OcrWord[] {
  if (line.words.length > 0) return line.words.filter((w) => w.text.trim() !== '');
  if (line.text.trim() === '') return [];
  return [{ text: line.text.trim(), confidence: line.confidence, box: line.box }];
}

function bbox({ x, y, width, height }: Box): string {
  const x0 = Math.round(x);
  const y0 = Math.round(y);
  return `bbox ${x0} ${y0} ${Math.max(x0, Math.round(x + width))} ${Math.max(y0, Math.round(y + height))}`;
}

function percent(confidence: number): number {
  return Math.round(Math.min(1, Math.max(0, confidence)) * 100);
}

function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}
