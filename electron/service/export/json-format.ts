/**
 * The JSON export, shaped by resources/schemas/ocr-result.v1.json. Only the result travels:
 * per-run facts such as stage timings and memory stay in the task's metrics.
 */
import type { ExportDocument, OcrBlock, PageResult } from '../../../shared/domain';

export const JSON_SCHEMA_VERSION = '1.0';

export function toResultJson(doc: ExportDocument): string {
  const output = {
    schemaVersion: JSON_SCHEMA_VERSION,
    source: {
      path: doc.sourcePath,
      format: doc.info.format,
      pageCount: doc.info.pageCount,
      fileSizeBytes: doc.info.fileSizeBytes,
    },
    pages: doc.pages.map(pageJson),
  };
  return JSON.stringify(output, null, 2) + '\n';
}

function pageJson(page: PageResult) {
  return {
    pageIndex: page.pageIndex,
    widthPx: page.widthPx,
    heightPx: page.heightPx,
    rotation: page.rotation,
    textSource: page.textSource ?? 'ocr',
    confidence: page.confidence,
    text: page.text,
    warnings: page.warnings.map(({ code, message }) => ({ code, message })),
    blocks: page.blocks.map(blockJson),
  };
}

function blockJson(block: OcrBlock) {
  return {
    box: block.box,
    lines: block.lines.map((line) => ({
      text: line.text,
      confidence: line.confidence,
      box: line.box,
      polygon: line.polygon,
      words: line.words.map(({ text, confidence, box }) => ({ text, confidence, box })),
      charConfidences: line.charConfidences,
    })),
  };
}
