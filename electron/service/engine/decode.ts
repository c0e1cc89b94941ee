import { open, readFile, stat } from 'node:fs/promises';
import sharp from 'sharp';
import type { DocumentFormat, DocumentInfo } from '../../../shared/domain';
import { OcrError } from '../../../shared/errors';
import { decodeBmp, readBmpHeader } from './bmp-decode';

/** An 8-bit sRGB page, three interleaved channels, top row first. */
export interface RgbImage {
  data: Uint8Array;
  width: number;
  height: number;
  /** Decoded size over the file's size, when a very large page was decoded smaller (0..1). */
  decodedScale?: number;
  /** The resolution the file states for the page, in dots per inch, when it states one. */
  densityDpi?: number;
}

/**
 * Pages larger than this, in pixels, are decoded scaled down to it: 16 MP is an A4 page at
 * 400 dpi, more than text needs, and it keeps a 600 dpi scan from taking the engine's memory
 * (a 35 MP receipt scan took the corpus peak from 870 MB to 1,050 MB).
 */
export const MAX_WORKING_PIXELS = 16_000_000;

export interface DecodeLimits {
  /** Largest page area accepted, in pixels; larger pages are refused before decoding. */
  maxPixels: number;
  /**
   * Pages larger than this, in pixels, are decoded scaled down to it; MAX_WORKING_PIXELS when
   * absent. An export that keeps the page's picture asks for more.
   */
  maxWorkingPixels?: number;
}

/** Pixel formats whose signature we recognise, by their first bytes. */
const SIGNATURES: { format: DocumentFormat; test: (b: Buffer) => boolean }[] = [
  { format: 'png', test: (b) => b.subarray(0, 8).equals(Buffer.from('89504e470d0a1a0a', 'hex')) },
  { format: 'jpeg', test: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  { format: 'gif', test: (b) => b.subarray(0, 4).toString('latin1') === 'GIF8' },
  {
    format: 'webp',
    test: (b) =>
      b.subarray(0, 4).toString('latin1') === 'RIFF' &&
      b.subarray(8, 12).toString('latin1') === 'WEBP',
  },
  {
    format: 'tiff',
    test: (b) => {
      const head = b.subarray(0, 4).toString('hex');
      return (
        head === '49492a00' || head === '4d4d002a' || head === '49492b00' || head === '4d4d002b'
      );
    },
  },
  { format: 'bmp', test: (b) => b.subarray(0, 2).toString('latin1') === 'BM' },
  { format: 'pdf', test: (b) => b.subarray(0, 1024).includes('%PDF-') },
];

/** Identifies a document by its content, whatever its name says; null when it is none we read. */
export async function sniffFormat(path: string): Promise<DocumentFormat | null> {
  const handle = await openForReading(path);
  try {
    const head = Buffer.alloc(1024);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    const bytes = head.subarray(0, bytesRead);
    return SIGNATURES.find((s) => bytesRead >= 4 && s.test(bytes))?.format ?? null;
  } finally {
    await handle.close();
  }
}

async function openForReading(path: string) {
  try {
    return await open(path, 'r');
  } catch (error) {
    throw fileError(path, error);
  }
}

function fileError(path: string, error: unknown): OcrError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new OcrError('file_not_found', `File not found: ${path}`);
  if (code === 'EISDIR')
    return new OcrError('invalid_input', `Expected a file, found a folder: ${path}`);
  if (code === 'EACCES' || code === 'EPERM') {
    return new OcrError('file_not_found', `Permission denied reading ${path}`);
  }
  return new OcrError('invalid_input', `Cannot read ${path}: ${(error as Error).message}`);
}

/** Reads an image's header: format, page count and size, without decoding its pixels. */
export async function probeImage(path: string, limits: DecodeLimits): Promise<DocumentInfo> {
  const info = await stat(path).catch((error) => {
    throw fileError(path, error);
  });
  if (!info.isFile()) throw new OcrError('invalid_input', `Not a regular file: ${path}`);
  if (info.size === 0) throw new OcrError('invalid_input', `The file is empty: ${path}`);

  const format = await sniffFormat(path);
  if (!format || format === 'pdf') {
    throw new OcrError('unsupported_format', `Not an image OCR Desk can read: ${path}`);
  }

  if (format === 'bmp') {
    const header = readBmpHeader(await readHead(path, 1024));
    assertWithinPixelLimit(header.width, header.height, limits);
    return {
      format,
      pageCount: 1,
      widthPx: header.width,
      heightPx: header.height,
      fileSizeBytes: info.size,
    };
  }

  const first = await pageSize(path, 0);
  // Only TIFF pages are separate document pages; GIF and WebP frames are animation.
  const pageCount = format === 'tiff' ? first.pages : 1;
  if (pageCount === 1) {
    assertWithinPixelLimit(first.width, first.height, limits);
    return {
      format,
      pageCount,
      widthPx: first.width,
      heightPx: first.height,
      fileSizeBytes: info.size,
    };
  }
  // Pages of a TIFF may differ in size; the document's size is its largest page's. A page over
  // the pixel limit, or one whose header is damaged, fails alone when it is decoded.
  let largest = first;
  for (let page = 1; page < Math.min(pageCount, MAX_PAGES_MEASURED); page++) {
    const size = await pageSize(path, page).catch(() => null);
    if (size && size.width * size.height > largest.width * largest.height) largest = size;
  }
  return {
    format,
    pageCount,
    widthPx: largest.width,
    heightPx: largest.height,
    fileSizeBytes: info.size,
  };
}

/** Pages whose headers are read to find a TIFF's largest page; later pages are not measured. */
const MAX_PAGES_MEASURED = 500;

/** A page's size after EXIF orientation, read from its header. */
async function pageSize(
  path: string,
  page: number,
): Promise<{ width: number; height: number; pages: number; densityDpi?: number }> {
  const meta = await sharp(path, { limitInputPixels: false, page })
    .metadata()
    .catch((error: Error) => {
      throw new OcrError('invalid_input', `The image is damaged or unreadable (${error.message})`);
    });
  if (!meta.width || !meta.height) {
    throw new OcrError('invalid_input', 'The image header gives no size');
  }
  const oriented = (meta.orientation ?? 1) >= 5;
  return {
    width: oriented ? meta.height : meta.width,
    height: oriented ? meta.width : meta.height,
    pages: meta.pages ?? 1,
    densityDpi: meta.density,
  };
}

async function readHead(path: string, bytes: number): Promise<Uint8Array> {
  const handle = await openForReading(path);
  try {
    const head = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(head, 0, bytes, 0);
    return head.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

export function assertWithinPixelLimit(width: number, height: number, limits: DecodeLimits): void {
  if (width * height > limits.maxPixels) {
    const megapixels = ((width * height) / 1e6).toFixed(1);
    const limit = (limits.maxPixels / 1e6).toFixed(1);
    throw new OcrError(
      'image_too_large',
      `The page is ${width}x${height} (${megapixels} MP), over the limit of ${limit} MP`,
    );
  }
}

/**
 * Decodes one page to 8-bit sRGB: EXIF orientation applied, transparency flattened onto
 * white, CMYK and other profiles converted, 16-bit reduced to 8-bit.
 */
export async function decodeImagePage(
  path: string,
  pageIndex: number,
  limits: DecodeLimits,
  format?: DocumentFormat,
): Promise<RgbImage> {
  if (format === 'bmp') return decodeBmpFile(path, limits);
  try {
    const size = await pageSize(path, pageIndex);
    assertWithinPixelLimit(size.width, size.height, limits);
    const workingPixels = limits.maxWorkingPixels ?? MAX_WORKING_PIXELS;
    const scale = Math.min(1, Math.sqrt(workingPixels / (size.width * size.height)));
    let pipeline = sharp(path, {
      page: pageIndex,
      pages: 1,
      limitInputPixels: limits.maxPixels,
      failOn: 'error',
    }).rotate();
    if (scale < 1) {
      const width = Math.max(1, Math.round(size.width * scale));
      const height = Math.max(1, Math.round(size.height * scale));
      pipeline = pipeline.resize(width, height, { fit: 'fill' });
    }
    const { data, info } = await pipeline
      .flatten({ background: '#ffffff' })
      .toColourspace('srgb')
      .removeAlpha()
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) {
      throw new OcrError('invalid_input', `Unexpected ${info.channels}-channel output`);
    }
    // Shared memory, so the engine's workers read the page without another copy.
    const shared = new Uint8Array(new SharedArrayBuffer(data.length));
    shared.set(data);
    const decodedScale = scale < 1 ? info.width / size.width : undefined;
    return {
      data: shared,
      width: info.width,
      height: info.height,
      decodedScale,
      densityDpi: size.densityDpi,
    };
  } catch (error) {
    if (error instanceof OcrError) throw error;
    const message = (error as Error).message;
    if (/pixel limit/i.test(message)) {
      throw new OcrError('image_too_large', `The page is over the pixel limit (${message})`);
    }
    throw new OcrError('invalid_input', `Page ${pageIndex + 1} could not be decoded (${message})`);
  }
}

async function decodeBmpFile(path: string, limits: DecodeLimits): Promise<RgbImage> {
  const header = readBmpHeader(await readHead(path, 1024));
  assertWithinPixelLimit(header.width, header.height, limits);
  const bytes = await readFile(path).catch((error) => {
    throw fileError(path, error);
  });
  const data = new Uint8Array(new SharedArrayBuffer(header.width * header.height * 3));
  decodeBmp(bytes, data);
  return { data, width: header.width, height: header.height, densityDpi: header.densityDpi };
}
