/**
 * One PDF opened with pdf.js in this thread: its header (page count, largest rendered page)
 * and each page rendered on demand. The PDF source runs this inside its render worker.
 */
import type {
  PDFDocumentLoadingTask,
  PDFDocumentProxy,
  PDFPageProxy,
} from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { DocumentInfo } from '../../../shared/domain';
import { OcrError, toErrorInfo, type ErrorInfo } from '../../../shared/errors';
import type { RgbImage } from '../engine/decode';
import type { SourceTextLayer } from '../engine/document-source';
import { isOwnTextWorthKeeping, largestImageShare } from './image-coverage';
import { renderedSize, renderPage, type RenderedPage, type RenderLimits } from './page-render';
import { pdfOpenError } from './pdf-errors';
import { loadPdfJs, pdfJsDataFolders } from './pdfjs-runtime';

export type RenderedPdfPage =
  | { index: number; image: RgbImage; warnings: string[]; textLayer?: SourceTextLayer }
  | { index: number; error: ErrorInfo };

export class PdfJsDocument {
  private constructor(
    private readonly loading: PDFDocumentLoadingTask,
    private readonly doc: PDFDocumentProxy,
    readonly info: DocumentInfo,
    private readonly limits: RenderLimits,
  ) {}

  /** Opens the file; rejects with an OcrError (encrypted_document, invalid_input, ...). */
  static async open(
    path: string,
    limits: RenderLimits,
    fileSizeBytes: number,
  ): Promise<PdfJsDocument> {
    const pdfjs = await loadPdfJs();
    // KNOWN LIMITATION: pdf.js reads the whole file into memory (its bytes, not decoded
    // pages) when it opens it, so a 1 GB PDF holds 1 GB in the render worker while it is read.
    // Given the path, it streams the file from disk itself rather than taking a copy from us.
    const loading = pdfjs.getDocument({
      url: path,
      isEvalSupported: false,
      disableFontFace: true,
      useSystemFonts: false,
      verbosity: 0,
      ...pdfJsDataFolders(),
    });
    try {
      const doc = await loading.promise;
      const info = await readDocumentInfo(doc, limits, fileSizeBytes);
      return new PdfJsDocument(loading, doc, info, limits);
    } catch (error) {
      await loading.destroy().catch(() => undefined);
      throw pdfOpenError(path, error);
    }
  }

  /** Renders one page; a page that cannot be read gives its error instead of throwing. */
  async render(index: number): Promise<RenderedPdfPage> {
    if (!Number.isInteger(index) || index < 0 || index >= this.info.pageCount) {
      const message = `Page ${index + 1} does not exist (the PDF has ${this.info.pageCount})`;
      return { index, error: { code: 'invalid_input', message } };
    }
    let page;
    try {
      page = await this.doc.getPage(index + 1);
      const rendered = await renderPage(this.doc, page, this.limits);
      if (rendered.textLayer && !(await this.ownTextWorthKeeping(page, rendered))) {
        const note = 'The page is a scan whose own text covers little of it; it is read by OCR';
        return { index, image: rendered.image, warnings: [...rendered.warnings, note] };
      }
      return { index, ...rendered };
    } catch (error) {
      const reason = toErrorInfo(error).message;
      return {
        index,
        error: {
          code: 'invalid_input',
          message: `Page ${index + 1} could not be read (${reason})`,
        },
      };
    } finally {
      // Drops the page's decoded images and operator list, so memory stays flat over long files.
      page?.cleanup();
    }
  }

  /** The operator list is the one pdf.js just built to render the page (it keeps it). */
  private async ownTextWorthKeeping(page: PDFPageProxy, rendered: RenderedPage): Promise<boolean> {
    const { OPS } = await loadPdfJs();
    const operators = await page.getOperatorList();
    const imageShare = largestImageShare(operators.fnArray, operators.argsArray, OPS, page.view);
    const boxes = rendered.textLayer?.items.filter((i) => i.text.trim() !== '').map((i) => i.box);
    const areaPx = rendered.image.width * rendered.image.height;
    return isOwnTextWorthKeeping(boxes ?? [], imageShare, areaPx);
  }

  async close(): Promise<void> {
    await this.loading.destroy();
  }
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
