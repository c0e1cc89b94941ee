/**
 * Writes a stored result in one export format. Every format is built in memory, then written
 * to a temporary file beside the destination and renamed into place, so the destination
 * name never holds a half-written file.
 */
import { realpath } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { ExportDocument, ExportFormat } from '../../../shared/domain';
import { OcrError } from '../../../shared/errors';
import { toAlto } from './alto-format';
import { writeFileAtomic } from './atomic-write';
import { toHocr } from './hocr-format';
import { toResultJson } from './json-format';
import { buildSearchablePdf } from './pdf/searchable-pdf';
import { toCsv, toMarkdown, toPlainText } from './plain-formats';

/** File name extension each format is usually saved with. */
export const EXPORT_EXTENSIONS: Record<ExportFormat, string> = {
  txt: 'txt',
  md: 'md',
  json: 'json',
  hocr: 'hocr',
  alto: 'alto.xml',
  csv: 'csv',
  pdf: 'pdf',
};

/** An export built in memory, and the source's pages it had to leave out (0-based). */
export interface RenderedExport {
  content: string | Uint8Array;
  leftOutPages: number[];
}

export async function renderExport(
  format: ExportFormat,
  doc: ExportDocument,
): Promise<RenderedExport> {
  if (format === 'pdf') {
    const pdf = await buildSearchablePdf(doc);
    return { content: pdf.bytes, leftOutPages: pdf.leftOutPages };
  }
  return { content: renderText(format, doc), leftOutPages: [] };
}

/** The formats built from the stored result alone, without reading the source again. */
function renderText(format: Exclude<ExportFormat, 'pdf'>, doc: ExportDocument): string {
  switch (format) {
    case 'txt':
      return toPlainText(doc);
    case 'md':
      return toMarkdown(doc);
    case 'json':
      return toResultJson(doc);
    case 'hocr':
      return toHocr(doc);
    case 'alto':
      return toAlto(doc);
    case 'csv':
      return toCsv(doc);
    default:
      throw new OcrError('invalid_request', `Unknown export format: ${String(format)}`);
  }
}

/**
 * Writes `doc` as `format` to `destPath`; rejects with an OcrError (export_failed, ...) on
 * failure. Resolves to the source's pages the export left out (0-based; only a searchable
 * PDF leaves out a page, one whose picture cannot be read again).
 */
export async function writeExport(
  format: ExportFormat,
  doc: ExportDocument,
  destPath: string,
): Promise<number[]> {
  if (await sameFile(destPath, doc.sourcePath)) {
    throw new OcrError(
      'export_failed',
      `The export would replace the document it was read from: ${destPath}`,
    );
  }
  let rendered: RenderedExport;
  try {
    rendered = await renderExport(format, doc);
  } catch (error) {
    if (error instanceof OcrError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new OcrError('export_failed', `The ${format} export could not be built (${reason})`, {
      cause: error,
    });
  }
  await writeFileAtomic(destPath, rendered.content);
  return rendered.leftOutPages;
}

/** Whether two paths name one file (through links too); a path that does not exist is no file. */
async function sameFile(a: string, b: string): Promise<boolean> {
  if (resolve(a) === resolve(b)) return true;
  const [realA, realB] = await Promise.all([
    realpath(a).catch(() => undefined),
    realpath(b).catch(() => undefined),
  ]);
  return realA !== undefined && realA === realB;
}
