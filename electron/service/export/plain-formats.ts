/** Plain text, Markdown and CSV renderings of a result: what other tools read most often. */
import type { ExportDocument, OcrBlock } from '../../../shared/domain';

/**
 * Page texts in order, a form feed between pages (as pdftotext does). A page that failed
 * stays as an empty page, so the n-th form feed still starts page n + 1.
 */
export function toPlainText(doc: ExportDocument): string {
  const byIndex = new Map(doc.pages.map((page) => [page.pageIndex, page.text]));
  const lastIndex = Math.max(doc.info.pageCount - 1, ...doc.pages.map((p) => p.pageIndex));
  const texts = Array.from({ length: lastIndex + 1 }, (_, i) => byIndex.get(i) ?? '');
  return texts.join('\n\f') + '\n';
}

/** Blocks as paragraphs; a heading per page when there is more than one. */
export function toMarkdown(doc: ExportDocument): string {
  const multiPage = doc.info.pageCount > 1 || doc.pages.length > 1;
  const sections = doc.pages.map((page) => {
    const paragraphs = page.blocks.map(blockParagraph).filter((p) => p !== '');
    const body = paragraphs.join('\n\n');
    return multiPage ? `## Page ${page.pageIndex + 1}\n\n${body}`.trimEnd() : body;
  });
  return sections.join('\n\n') + '\n';
}

function blockParagraph(block: OcrBlock): string {
  return block.lines
    .map((line) => escapeMarkdown(line.text.trim()))
    .filter((t) => t !== '')
    .join('\n');
}

/**
 * Recognised text is literal text: characters Markdown would read as markup are escaped.
 * Lines of a block are joined by single newlines, so the block renders as one paragraph.
 */
function escapeMarkdown(text: string): string {
  return text.replace(/([\\`*_{}[\]<>#|~])/g, '\\$1').replace(/^([+-]|\d+\.)(\s)/, '\\$1$2');
}

export const CSV_HEADER = [
  'page',
  'block',
  'line',
  'text',
  'confidence',
  'x',
  'y',
  'width',
  'height',
];

/** One row per line, numbered from 1, RFC 4180: CRLF line ends, quoted where needed. */
export function toCsv(doc: ExportDocument): string {
  const rows: (string | number)[][] = [CSV_HEADER];
  for (const page of doc.pages) {
    page.blocks.forEach((block, b) => {
      block.lines.forEach((line, l) => {
        // Boxes to a hundredth of a pixel, past which the detector's precision does not go.
        const [x, y, width, height] = [line.box.x, line.box.y, line.box.width, line.box.height].map(
          (value) => Math.round(value * 100) / 100,
        );
        const confidence = Number(line.confidence.toFixed(4));
        rows.push([page.pageIndex + 1, b + 1, l + 1, line.text, confidence, x, y, width, height]);
      });
    });
  }
  return rows.map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}

function csvField(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
