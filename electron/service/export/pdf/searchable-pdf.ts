/**
 * Searchable PDF: every page of the source with the recognised text laid over it, invisible.
 * A PDF source keeps its own pages (vector text and all) copied as they are; an image source
 * gets one page per image, sized from the image's resolution.
 *
 * KNOWN LIMITATION: the output is built in memory before it is written (pdf-lib has no
 * streaming writer): exporting a PDF of N MB takes about 3 x N MB more memory (measured: a
 * 90-page, 46 MB scan exported in 0.7 s with RSS 124 MB above idle), so a multi-gigabyte
 * source can exhaust memory and fail with export_failed.
 */
import { readFile } from 'node:fs/promises';
import { PDFDocument, PDFName, PDFPage } from 'pdf-lib';
import type { ExportDocument, PageResult } from '../../../../shared/domain';
import { OcrError } from '../../../../shared/errors';
import { sniffFormat, type RgbImage } from '../../engine/decode';
import type { DocumentSource } from '../../engine/document-source';
import { GlyphlessFont } from './glyphless-font';
import { openPdfDocument } from '../../engine/pdf-source';
import { openImageDocument } from '../../engine/image-source';
import { embedJpegAsIs, embedRgbPage, pageDpi, type EmbeddedPageImage } from './page-image';
import { pageTextOperators, type PixelToPoints } from './text-layer-ops';

const FONT_RESOURCE = 'FOcrText';
const IMAGE_RESOURCE = 'IOcrPage';
const POINTS_PER_INCH = 72;
/** Resolution and size limit, in dpi and pixels, of pages that have to be stored as pictures. */
const RENDER_DPI = 300;
const RENDER_MAX_PIXELS = 60_000_000;

export interface SearchablePdf {
  bytes: Uint8Array;
  /** Pages of the source (0-based) that could not be read again, so are not in the PDF. */
  leftOutPages: number[];
}

export async function buildSearchablePdf(source: ExportDocument): Promise<SearchablePdf> {
  const out = await PDFDocument.create();
  out.setProducer('OCR Desk');
  out.setCreator('OCR Desk');
  const font = new GlyphlessFont(out);
  const results = new Map(source.pages.map((page) => [page.pageIndex, page]));

  // The file's content decides, not the stored format: a result may outlive a wrong guess.
  const format = (await sniffFormat(source.sourcePath).catch(() => null)) ?? source.info.format;
  const leftOutPages =
    format === 'pdf'
      ? await addPdfPages(out, source.sourcePath, results, font)
      : await addImagePages(out, { ...source, info: { ...source.info, format } }, results, font);

  font.finish();
  return { bytes: await out.save(), leftOutPages };
}

async function addPdfPages(
  out: PDFDocument,
  path: string,
  results: Map<number, PageResult>,
  font: GlyphlessFont,
): Promise<number[]> {
  const original = await PDFDocument.load(await readFile(path), { updateMetadata: false }).catch(
    () => undefined,
  );
  // pdf-lib reads neither encrypted PDFs (even those any viewer opens without a password)
  // nor some damaged ones pdf.js repairs; their pages are rendered and stored as pictures.
  if (!original) return addRenderedPdfPages(out, path, results, font);
  const pages = await out.copyPages(original, original.getPageIndices());
  pages.forEach((page, index) => {
    out.addPage(page);
    const result = results.get(index);
    // A page whose text was taken from the PDF itself already has it; a copy would double it.
    if (result && result.textSource !== 'pdf-text') overlayOnPdfPage(out, page, result, font);
  });
  return [];
}

/**
 * KNOWN LIMITATION: a PDF that pdf-lib cannot copy loses its vector content in the export:
 * each page becomes a 300 dpi picture with the text layer over it, so the file is larger and
 * its text is only as exact as the stored result (the PDF's own text when it was kept).
 */
async function addRenderedPdfPages(
  out: PDFDocument,
  path: string,
  results: Map<number, PageResult>,
  font: GlyphlessFont,
): Promise<number[]> {
  const source = await openPdfDocument(path, {
    maxPixels: RENDER_MAX_PIXELS,
    dpi: RENDER_DPI,
  }).catch((error: OcrError) => {
    throw new OcrError('export_failed', `The source PDF cannot be read (${error.message})`);
  });
  // The picture has lost the page's own text, so text kept from it goes in the layer too.
  return addDecodedPages(out, source, () => RENDER_DPI, results, font);
}

/**
 * Puts the text over a copied page. The page's own content is wrapped in q/Q so whatever
 * state it leaves cannot move our text, and a matrix maps the page as displayed (crop box,
 * /Rotate applied, which is how pdf.js rendered it for OCR) onto its user space.
 */
function overlayOnPdfPage(
  out: PDFDocument,
  page: PDFPage,
  result: PageResult,
  font: GlyphlessFont,
) {
  const crop = page.getCropBox();
  const rotation = (((page.getRotation().angle % 360) + 360) % 360) as 0 | 90 | 180 | 270;
  const turned = rotation === 90 || rotation === 270;
  const area: PixelToPoints = {
    widthPt: turned ? crop.height : crop.width,
    heightPt: turned ? crop.width : crop.height,
    widthPx: result.widthPx,
    heightPx: result.heightPx,
  };
  const text = pageTextOperators(result, FONT_RESOURCE, font, area);
  if (text === '') return;

  const toUserSpace = {
    0: [1, 0, 0, 1, crop.x, crop.y],
    90: [0, 1, -1, 0, crop.x + crop.width, crop.y],
    180: [-1, 0, 0, -1, crop.x + crop.width, crop.y + crop.height],
    270: [0, -1, 1, 0, crop.x, crop.y + crop.height],
  }[rotation];
  const context = out.context;
  page.node.wrapContentStreams(
    context.register(context.stream('q\n')),
    context.register(context.stream('\nQ\n')),
  );
  page.node.setFontDictionary(PDFName.of(FONT_RESOURCE), font.ref);
  const content = `q\n${toUserSpace.join(' ')} cm\n${text}\nQ\n`;
  page.node.addContentStream(context.register(context.flateStream(content)));
}

/**
 * One page per page of the image, decoded as the engine decodes it, so that every image the
 * engine read can be exported (BMP, TIFFs libvips only warns about).
 */
async function addImagePages(
  out: PDFDocument,
  source: ExportDocument,
  results: Map<number, PageResult>,
  font: GlyphlessFont,
): Promise<number[]> {
  if (source.info.format === 'jpeg') {
    const image = await embedJpegAsIs(out, source.sourcePath);
    if (image) {
      addPictureAndText(out, image, results.get(0), font);
      return [];
    }
  }
  const document = await openImageDocument(source.sourcePath, {
    // The engine has read the document already; the export refuses no size, but keeps no more
    // pixels a page than a rendered PDF page.
    maxPixels: Number.MAX_SAFE_INTEGER,
    maxWorkingPixels: RENDER_MAX_PIXELS,
  }).catch((error: OcrError) => {
    throw new OcrError('export_failed', `The source image cannot be read (${error.message})`);
  });
  // A page decoded smaller keeps its size on paper: its resolution drops instead.
  const dpiOf = (image: RgbImage) => pageDpi(image.densityDpi) * (image.decodedScale ?? 1);
  return addDecodedPages(out, document, dpiOf, results, font);
}

/**
 * A picture page, with its text, for each page of `source` that decodes; closes the source.
 * A page that does not decode (whose reading failed alone) is left out, and its index
 * returned; one that decodes without a result keeps its picture, without text.
 */
async function addDecodedPages(
  out: PDFDocument,
  source: DocumentSource,
  dpiOf: (image: RgbImage) => number,
  results: Map<number, PageResult>,
  font: GlyphlessFont,
): Promise<number[]> {
  const leftOut: number[] = [];
  try {
    for await (const page of source.pages()) {
      if ('error' in page) {
        leftOut.push(page.index);
        continue;
      }
      const image = await embedRgbPage(out, page.image, dpiOf(page.image));
      addPictureAndText(out, image, results.get(page.index), font);
    }
  } finally {
    await source.close();
  }
  if (leftOut.length === source.info.pageCount) {
    throw new OcrError('export_failed', 'No page of the source can be read again');
  }
  return leftOut;
}

/** A page the size of the picture at its resolution, the picture over it, the text on top. */
function addPictureAndText(
  out: PDFDocument,
  image: EmbeddedPageImage,
  result: PageResult | undefined,
  font: GlyphlessFont,
): void {
  const widthPt = (image.widthPx * POINTS_PER_INCH) / image.dpi;
  const heightPt = (image.heightPx * POINTS_PER_INCH) / image.dpi;
  const page = out.addPage([widthPt, heightPt]);
  page.node.setXObject(PDFName.of(IMAGE_RESOURCE), image.ref);
  let content = `q ${widthPt} 0 0 ${heightPt} 0 0 cm /${IMAGE_RESOURCE} Do Q\n`;

  if (result) {
    // Page results are in decoded-image pixels; the engine may have scaled a large page.
    const area = { widthPt, heightPt, widthPx: result.widthPx, heightPx: result.heightPx };
    const text = pageTextOperators(result, FONT_RESOURCE, font, area);
    if (text !== '') {
      page.node.setFontDictionary(PDFName.of(FONT_RESOURCE), font.ref);
      content += `${text}\n`;
    }
  }
  page.node.addContentStream(out.context.register(out.context.flateStream(content)));
}
