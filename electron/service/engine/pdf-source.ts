/**
 * PDF input: a DocumentSource over pdf.js that renders each page only when it is asked for,
 * at a resolution fit for OCR, and hands back the page's own text when it has some.
 */
import { stat } from 'node:fs/promises';
import type { PDFDocumentLoadingTask, PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { DocumentInfo } from '../../../shared/domain';
import { OcrError, toErrorInfo } from '../../../shared/errors';
import type { DocumentSource, SourcePage } from './document-source';
import { DEFAULT_PDF_DPI, renderedSize, renderPage, type RenderLimits } from '../pdf/page-render';
import { loadPdfJs, pdfJsDataFolders } from '../pdf/pdfjs-runtime';
import { pdfOpenError, withTimeout } from '../pdf/pdf-errors';

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
}

const DEFAULT_PAGE_TIMEOUT_MS = 120_000;
const DEFAULT_OPEN_TIMEOUT_MS = 60_000;

/** Opens a PDF for page-by-page reading; rejects with an OcrError when it cannot be read at all. */
export async function openPdfDocument(
  path: string,
  options: PdfOpenOptions,
): Promise<DocumentSource> {
  const fileSizeBytes = await pdfFileSize(path);
  const limits: RenderLimits = {
    dpi: options.dpi ?? DEFAULT_PDF_DPI,
    maxPixels: options.maxPixels,
  };
  const pdfjs = await loadPdfJs();

  // A path (not the bytes) lets pdf.js read the file in ranges as pages need them.
  const loading = pdfjs.getDocument({
    url: path,
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    verbosity: 0,
    ...pdfJsDataFolders(),
  });
  try {
    const timeoutMs = options.openTimeoutMs ?? DEFAULT_OPEN_TIMEOUT_MS;
    const doc = await withTimeout(loading.promise, timeoutMs, () => undefined);
    const info = await readDocumentInfo(doc, limits, fileSizeBytes);
    return new PdfSource(loading, doc, info, limits, options);
  } catch (error) {
    await loading.destroy().catch(() => undefined);
    throw pdfOpenError(path, error);
  }
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

/** Page count and the largest rendered page; a page whose header cannot be read is skipped. */
async function readDocumentInfo(
  doc: PDFDocumentProxy,
  limits: RenderLimits,
  fileSizeBytes: number,
): Promise<DocumentInfo> {
  let widthPx = 0;
  let heightPx = 0;
  for (let number = 1; number <= doc.numPages; number++) {
    const page = await doc.getPage(number).catch(() => undefined);
    if (!page) continue;
    const size = renderedSize(page, limits);
    if (size.widthPx * size.heightPx > widthPx * heightPx) ({ widthPx, heightPx } = size);
  }
  if (widthPx === 0) throw new OcrError('invalid_input', 'No page of the PDF can be read');
  return { format: 'pdf', pageCount: doc.numPages, widthPx, heightPx, fileSizeBytes };
}

class PdfSource implements DocumentSource {
  private closed = false;

  constructor(
    private readonly loading: PDFDocumentLoadingTask,
    private readonly doc: PDFDocumentProxy,
    readonly info: DocumentInfo,
    private readonly limits: RenderLimits,
    private readonly options: PdfOpenOptions,
  ) {}

  async *pages(indices?: number[]): AsyncIterable<SourcePage> {
    const wanted = indices ?? Array.from({ length: this.info.pageCount }, (_, i) => i);
    for (const index of wanted) {
      if (this.closed) throw new OcrError('cancelled', 'The document was closed');
      if (this.options.signal?.aborted) throw new OcrError('cancelled', 'The task was cancelled');
      yield await this.readPage(index);
    }
  }

  private async readPage(index: number): Promise<SourcePage> {
    if (!Number.isInteger(index) || index < 0 || index >= this.info.pageCount) {
      const message = `Page ${index + 1} does not exist (the PDF has ${this.info.pageCount})`;
      return { index, error: { code: 'invalid_input', message } };
    }
    let cancel: () => void = () => undefined;
    const stopOnAbort = () => cancel();
    this.options.signal?.addEventListener('abort', stopOnAbort);
    const page = await this.doc.getPage(index + 1).catch((error: unknown) => error as Error);
    try {
      if (page instanceof Error) return { index, error: pageError(index, page) };
      const timeoutMs = this.options.pageTimeoutMs ?? DEFAULT_PAGE_TIMEOUT_MS;
      const rendering = renderPage(this.doc, page, this.limits, {
        onCancelable: (stop) => (cancel = stop),
      });
      const rendered = await withTimeout(rendering, timeoutMs, () => cancel());
      return {
        index,
        image: rendered.image,
        warnings: rendered.warnings,
        textLayer: rendered.textLayer,
      };
    } catch (error) {
      if (this.options.signal?.aborted) throw new OcrError('cancelled', 'The task was cancelled');
      return { index, error: pageError(index, error) };
    } finally {
      this.options.signal?.removeEventListener('abort', stopOnAbort);
      // Drops the page's decoded images and operator list, so memory stays flat over long files.
      if (!(page instanceof Error)) page.cleanup();
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.loading.destroy();
  }
}

function pageError(index: number, error: unknown): { code: string; message: string } {
  const info = toErrorInfo(error);
  if (info.code === 'timeout')
    return { code: 'timeout', message: `Page ${index + 1}: ${info.message}` };
  return {
    code: 'invalid_input',
    message: `Page ${index + 1} could not be read (${info.message})`,
  };
}
