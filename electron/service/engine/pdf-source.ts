/**
 * PDF input: a DocumentSource over pdf.js that renders each page only when it is asked for,
 * at a resolution fit for OCR, and hands back the page's own text when it has some. Pages
 * render in a worker thread (see pdf/page-renderers.ts), one at a time.
 */
import { stat } from 'node:fs/promises';
import type { DocumentInfo } from '../../../shared/domain';
import { OcrError } from '../../../shared/errors';
import type { DocumentSource, SourcePage } from './document-source';
import { DEFAULT_PDF_DPI } from '../pdf/page-render';
import { startPageRenderer, type PageRenderer } from '../pdf/page-renderers';

export interface PdfOpenOptions {
  /** Largest rendered page, in pixels; pages are rendered at a lower dpi to stay under it. */
  maxPixels: number;
  /** Rendering resolution, in dots per inch. Default 300. */
  dpi?: number;
  signal?: AbortSignal;
  /** Longest one page may take to render before it is given up, in ms. Default 120 s. */
  pageTimeoutMs?: number;
  /** Longest opening the file may take, in ms. Default 60 s. */
  openTimeoutMs?: number;
  /** Render in a worker thread (default) or in this thread. */
  renderIn?: 'worker' | 'thread';
}

const DEFAULT_PAGE_TIMEOUT_MS = 120_000;
const DEFAULT_OPEN_TIMEOUT_MS = 60_000;

/** Opens a PDF for page-by-page reading; rejects with an OcrError when it cannot be read at all. */
export async function openPdfDocument(
  path: string,
  options: PdfOpenOptions,
): Promise<DocumentSource> {
  const fileSizeBytes = await pdfFileSize(path);
  const limits = { dpi: options.dpi ?? DEFAULT_PDF_DPI, maxPixels: options.maxPixels };
  const openTimeoutMs = options.openTimeoutMs ?? DEFAULT_OPEN_TIMEOUT_MS;
  const renderer = await startPageRenderer(
    { path, limits, fileSizeBytes },
    openTimeoutMs,
    options.renderIn,
  );
  return new PdfSource(renderer, options);
}

async function pdfFileSize(path: string): Promise<number> {
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') throw new OcrError('file_not_found', `File not found: ${path}`);
    throw new OcrError('file_not_found', `Cannot open ${path} (${error.message})`);
  });
  if (!info.isFile()) throw new OcrError('invalid_input', `Not a regular file: ${path}`);
  if (info.size === 0) throw new OcrError('invalid_input', `The file is empty: ${path}`);
  return info.size;
}

class PdfSource implements DocumentSource {
  private closed = false;

  constructor(
    private readonly renderer: PageRenderer,
    private readonly options: PdfOpenOptions,
  ) {}

  get info(): DocumentInfo {
    return this.renderer.info;
  }

  async *pages(indices?: number[]): AsyncIterable<SourcePage> {
    const wanted = indices ?? Array.from({ length: this.info.pageCount }, (_, i) => i);
    const timeoutMs = this.options.pageTimeoutMs ?? DEFAULT_PAGE_TIMEOUT_MS;
    for (const index of wanted) {
      if (this.closed) throw new OcrError('cancelled', 'The document was closed');
      if (this.options.signal?.aborted) throw new OcrError('cancelled', 'The task was cancelled');
      yield await this.renderer.render(index, timeoutMs, this.options.signal);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.renderer.close();
  }
}
