/** Renders one PDF page to an 8-bit RGB image at a resolution fit for OCR. */
import type { PDFDocumentProxy, PDFPageProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { RgbImage } from '../engine/decode';
import type { SourceTextLayer } from '../engine/document-source';
import { readTextLayer } from './text-layer';

export const DEFAULT_PDF_DPI = 300;
const POINTS_PER_INCH = 72;
/** Longest side, in pixels, a canvas may have; past it Skia refuses to allocate. */
const MAX_SIDE_PX = 16_384;

export interface RenderLimits {
  dpi: number;
  maxPixels: number;
}

/** The scale (pixels per PDF point) for a page of `widthPt` x `heightPt` under the limits. */
export function renderScale(widthPt: number, heightPt: number, limits: RenderLimits) {
  const wanted = limits.dpi / POINTS_PER_INCH;
  const byArea = Math.sqrt(limits.maxPixels / Math.max(1, widthPt * heightPt));
  const bySide = MAX_SIDE_PX / Math.max(1, widthPt, heightPt);
  const scale = Math.min(wanted, byArea, bySide);
  return { scale, scaledDown: scale < wanted };
}

/** Size, in pixels, of a page rendered under the limits (rotation applied). */
export function renderedSize(page: PDFPageProxy, limits: RenderLimits) {
  const base = page.getViewport({ scale: 1 });
  const { scale } = renderScale(base.width, base.height, limits);
  return sizeAt(base.width, base.height, scale);
}

function sizeAt(widthPt: number, heightPt: number, scale: number) {
  return {
    widthPx: Math.max(1, Math.floor(widthPt * scale)),
    heightPx: Math.max(1, Math.floor(heightPt * scale)),
  };
}

export interface RenderedPage {
  image: RgbImage;
  warnings: string[];
  textLayer?: SourceTextLayer;
}

export async function renderPage(
  doc: PDFDocumentProxy,
  page: PDFPageProxy,
  limits: RenderLimits,
): Promise<RenderedPage> {
  const base = page.getViewport({ scale: 1 });
  const { scale, scaledDown } = renderScale(base.width, base.height, limits);
  const viewport = page.getViewport({ scale });
  const { widthPx, heightPx } = sizeAt(base.width, base.height, scale);

  // pdf.js types its canvas factory as Object; its Node factory makes @napi-rs/canvas canvases.
  const canvases = doc.canvasFactory as CanvasFactory;
  const target = canvases.create(widthPx, heightPx);
  try {
    // pdf.js paints the page white first, so the RGBA we read back is opaque.
    await page.render({ canvasContext: target.context, viewport }).promise;
    const rgba = target.context.getImageData(0, 0, widthPx, heightPx).data;
    const image = { data: rgbaToRgb(rgba), width: widthPx, height: heightPx };
    const textLayer = await readTextLayer(page, viewport);
    const warnings = scaledDown
      ? [
          `Page rendered at ${Math.round(scale * POINTS_PER_INCH)} dpi to stay under the pixel limit`,
        ]
      : [];
    return { image, warnings, textLayer };
  } finally {
    canvases.destroy(target);
  }
}

interface CanvasAndContext {
  canvas: unknown;
  context: CanvasRenderingContext2D;
}

interface CanvasFactory {
  create(widthPx: number, heightPx: number): CanvasAndContext;
  destroy(target: CanvasAndContext): void;
}

export function rgbaToRgb(rgba: Uint8ClampedArray | Uint8Array): Uint8Array {
  const pixels = rgba.length / 4;
  const rgb = new Uint8Array(pixels * 3);
  for (let i = 0, j = 0; i < rgba.length; i += 4, j += 3) {
    rgb[j] = rgba[i];
    rgb[j + 1] = rgba[i + 1];
    rgb[j + 2] = rgba[i + 2];
  }
  return rgb;
}
