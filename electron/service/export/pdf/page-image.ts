/**
 * The picture of one page as a PDF image XObject: a JPEG source keeps its own bytes (no second
 * lossy pass); other colour pages become JPEG; grey pages are stored losslessly with Flate,
 * one bit per pixel when the page is pure black and white.
 */
import { readFile } from 'node:fs/promises';
import { deflateSync } from 'node:zlib';
import { PDFDocument, PDFRef } from 'pdf-lib';
import sharp from 'sharp';
import type { RgbImage } from '../../engine/decode';

/** Resolution assumed when an image does not say its own, in dots per inch. */
const DEFAULT_DPI = 300;
const MIN_DPI = 36;
const MAX_DPI = 2400;
/** Quality of the JPEG a colour page is stored as: text edges stay clean at this level. */
const JPEG_QUALITY = 90;

export interface EmbeddedPageImage {
  ref: PDFRef;
  widthPx: number;
  heightPx: number;
  /** The image's resolution, which sets the page's size in points. */
  dpi: number;
}

/**
 * A JPEG file's own bytes as the page's picture, with no second lossy pass; null when that
 * cannot be done (the file asks to be turned, or its header or bytes are not what pdf-lib
 * embeds), and the page is then stored from its decoded pixels.
 */
export async function embedJpegAsIs(
  doc: PDFDocument,
  path: string,
): Promise<EmbeddedPageImage | null> {
  const meta = await sharp(path, { limitInputPixels: false })
    .metadata()
    .catch(() => null);
  if (!meta || (meta.orientation ?? 1) !== 1) return null;
  const jpeg = await readFile(path)
    .then((bytes) => doc.embedJpg(bytes))
    .catch(() => null);
  if (!jpeg) return null;
  return { ref: jpeg.ref, widthPx: jpeg.width, heightPx: jpeg.height, dpi: pageDpi(meta.density) };
}

/** The resolution a page is laid out at: the one its file states, unless absent or absurd. */
export function pageDpi(statedDpi: number | undefined): number {
  return statedDpi !== undefined && statedDpi >= MIN_DPI && statedDpi <= MAX_DPI
    ? statedDpi
    : DEFAULT_DPI;
}

/**
 * A page already decoded to RGB (a PDF page rendered by pdf.js): stored grey when every pixel
 * is grey, as JPEG otherwise.
 */
export async function embedRgbPage(
  doc: PDFDocument,
  image: RgbImage,
  dpi: number,
): Promise<EmbeddedPageImage> {
  const { data, width, height } = image;
  const raw = { width, height, channels: 3 as const };
  if (!isGrey(data)) {
    const jpeg = await sharp(data, { raw }).jpeg({ quality: JPEG_QUALITY }).toBuffer();
    const embedded = await doc.embedJpg(jpeg);
    return { ref: embedded.ref, widthPx: width, heightPx: height, dpi };
  }
  const grey = Buffer.alloc(width * height);
  for (let i = 0; i < grey.length; i++) grey[i] = data[i * 3];
  const ref = doc.context.register(greyImageStream(doc, grey, width, height));
  return { ref, widthPx: width, heightPx: height, dpi };
}

function isGrey(rgb: Uint8Array): boolean {
  for (let i = 0; i < rgb.length; i += 3) {
    if (rgb[i] !== rgb[i + 1] || rgb[i] !== rgb[i + 2]) return false;
  }
  return true;
}

function greyImageStream(doc: PDFDocument, pixels: Buffer, widthPx: number, heightPx: number) {
  const dict = {
    Type: 'XObject',
    Subtype: 'Image',
    Width: widthPx,
    Height: heightPx,
    ColorSpace: 'DeviceGray',
    Filter: 'FlateDecode',
  };
  if (isBilevel(pixels)) {
    const packed = packBits(pixels, widthPx, heightPx);
    return doc.context.stream(deflateSync(packed), { ...dict, BitsPerComponent: 1 });
  }
  return doc.context.stream(deflateSync(pixels), { ...dict, BitsPerComponent: 8 });
}

function isBilevel(pixels: Buffer): boolean {
  for (const value of pixels) if (value !== 0 && value !== 255) return false;
  return true;
}

/** Eight pixels a byte, first pixel in the high bit, each row starting on a new byte. */
function packBits(pixels: Buffer, widthPx: number, heightPx: number): Uint8Array {
  const rowBytes = Math.ceil(widthPx / 8);
  const packed = new Uint8Array(rowBytes * heightPx);
  for (let y = 0; y < heightPx; y++) {
    for (let x = 0; x < widthPx; x++) {
      if (pixels[y * widthPx + x] !== 0) packed[y * rowBytes + (x >> 3)] |= 0x80 >> (x & 7);
    }
  }
  return packed;
}
