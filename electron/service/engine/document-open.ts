import { stat } from 'node:fs/promises';
import type { DocumentInfo } from '../../../shared/domain';
import { OcrError } from '../../../shared/errors';
import { sniffFormat, type DecodeLimits } from './decode';
import type { DocumentSource } from './document-source';
import { openImageDocument } from './image-source';
import { openPdfDocument } from './pdf-source';

export interface OpenOptions extends DecodeLimits {
  signal?: AbortSignal;
}

/** Opens any document OCR Desk reads, judged by its content rather than its name. */
export async function openDocument(path: string, options: OpenOptions): Promise<DocumentSource> {
  const info = await stat(path).catch(() => null);
  if (info?.isFile() && info.size === 0) {
    throw new OcrError('invalid_input', `The file is empty: ${path}`);
  }
  if (info?.isDirectory()) {
    throw new OcrError('invalid_input', `Expected a file, found a folder: ${path}`);
  }
  const format = await sniffFormat(path);
  if (format === null) {
    throw new OcrError('unsupported_format', `Not an image or PDF OCR Desk can read: ${path}`);
  }
  if (format === 'pdf') return openPdfDocument(path, options);
  return openImageDocument(path, options);
}

/** Reads a document's header without decoding its pages. */
export async function probeDocument(path: string, limits: DecodeLimits): Promise<DocumentInfo> {
  const source = await openDocument(path, limits);
  await source.close();
  return source.info;
}
