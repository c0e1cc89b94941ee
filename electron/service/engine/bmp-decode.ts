import { OcrError } from '../../../shared/errors';

/**
 * A Windows bitmap (BMP) reader. The libvips inside sharp is built without a BMP loader, so
 * OCR Desk reads the common kinds itself: 1, 4 and 8 bits with a palette, 16, 24 and 32 bits,
 * uncompressed or with bit-field masks, bottom-up or top-down. RLE-compressed bitmaps are
 * refused with unsupported_format.
 */
export interface BmpHeader {
  width: number;
  height: number;
  topDown: boolean;
  bitsPerPixel: number;
  compression: number;
  pixelOffset: number;
  headerSize: number;
  paletteSize: number;
  /** The horizontal resolution the header states, in dots per inch; absent when it states none. */
  densityDpi?: number;
}

const METRES_PER_INCH = 0.0254;
const BI_RGB = 0;
const BI_BITFIELDS = 3;
const BI_ALPHABITFIELDS = 6;

export function readBmpHeader(bytes: Uint8Array): BmpHeader {
  if (bytes.length < 26 || bytes[0] !== 0x42 || bytes[1] !== 0x4d) {
    throw new OcrError('invalid_input', 'Not a BMP file, or its header is cut short');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const pixelOffset = view.getUint32(10, true);
  const headerSize = view.getUint32(14, true);
  const core = headerSize === 12;
  if (!core && (headerSize < 40 || bytes.length < 14 + 40)) {
    throw new OcrError('invalid_input', `The BMP header is damaged (size ${headerSize})`);
  }
  const width = core ? view.getUint16(18, true) : view.getInt32(18, true);
  const rawHeight = core ? view.getInt16(20, true) : view.getInt32(22, true);
  const bitsPerPixel = core ? view.getUint16(24, true) : view.getUint16(28, true);
  const compression = core ? BI_RGB : view.getUint32(30, true);
  const colorsUsed = core ? 0 : view.getUint32(46, true);
  const pixelsPerMetre = core ? 0 : view.getInt32(38, true);
  if (width <= 0 || rawHeight === 0) {
    throw new OcrError(
      'invalid_input',
      `The BMP header gives no usable size (${width}x${rawHeight})`,
    );
  }
  const paletteSize = bitsPerPixel <= 8 ? colorsUsed || 1 << bitsPerPixel : 0;
  return {
    width,
    height: Math.abs(rawHeight),
    topDown: rawHeight < 0,
    bitsPerPixel,
    compression,
    pixelOffset,
    headerSize,
    paletteSize,
    densityDpi: pixelsPerMetre > 0 ? pixelsPerMetre * METRES_PER_INCH : undefined,
  };
}

/** Decodes a BMP to 8-bit RGB (three channels, top row first) written into `out`. */
export function decodeBmp(bytes: Uint8Array, out: Uint8Array): void {
  const header = readBmpHeader(bytes);
  const { width, height, bitsPerPixel, compression } = header;
  if (compression !== BI_RGB && compression !== BI_BITFIELDS && compression !== BI_ALPHABITFIELDS) {
    throw new OcrError(
      'unsupported_format',
      `Compressed BMP (method ${compression}) is not supported`,
    );
  }
  if (![1, 4, 8, 16, 24, 32].includes(bitsPerPixel)) {
    throw new OcrError(
      'unsupported_format',
      `BMP with ${bitsPerPixel} bits per pixel is not supported`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const rowBytes = Math.ceil((width * bitsPerPixel) / 32) * 4;
  if (header.pixelOffset + rowBytes * height > bytes.length) {
    throw new OcrError('invalid_input', 'The BMP file is truncated: its pixel data is incomplete');
  }
  const palette = readPalette(bytes, header);
  const masks = channelMasks(view, header);

  for (let row = 0; row < height; row++) {
    const y = header.topDown ? row : height - 1 - row;
    const start = header.pixelOffset + row * rowBytes;
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 3;
      if (bitsPerPixel <= 8) {
        const bitOffset = x * bitsPerPixel;
        const byte = bytes[start + (bitOffset >> 3)];
        const index = (byte >> (8 - bitsPerPixel - (bitOffset & 7))) & ((1 << bitsPerPixel) - 1);
        const entry = palette[Math.min(index, palette.length - 1)];
        out[o] = entry[0];
        out[o + 1] = entry[1];
        out[o + 2] = entry[2];
      } else if (bitsPerPixel === 24 || (bitsPerPixel === 32 && !masks)) {
        const p = start + x * (bitsPerPixel / 8);
        out[o] = bytes[p + 2];
        out[o + 1] = bytes[p + 1];
        out[o + 2] = bytes[p];
      } else {
        const p = start + x * (bitsPerPixel / 8);
        const value = bitsPerPixel === 16 ? view.getUint16(p, true) : view.getUint32(p, true);
        const m = masks ?? DEFAULT_16_BIT_MASKS;
        out[o] = extract(value, m[0]);
        out[o + 1] = extract(value, m[1]);
        out[o + 2] = extract(value, m[2]);
      }
    }
  }
}

/** 5-5-5 bits of red, green and blue: the 16-bit layout when no masks are given. */
const DEFAULT_16_BIT_MASKS: [number, number, number] = [0x7c00, 0x03e0, 0x001f];

function readPalette(bytes: Uint8Array, header: BmpHeader): [number, number, number][] {
  if (header.paletteSize === 0) return [];
  const entrySize = header.headerSize === 12 ? 3 : 4;
  const start = 14 + header.headerSize;
  const palette: [number, number, number][] = [];
  for (let i = 0; i < header.paletteSize; i++) {
    const p = start + i * entrySize;
    if (p + 2 >= bytes.length) break;
    palette.push([bytes[p + 2], bytes[p + 1], bytes[p]]);
  }
  if (palette.length === 0) throw new OcrError('invalid_input', 'The BMP palette is missing');
  return palette;
}

function channelMasks(view: DataView, header: BmpHeader): [number, number, number] | null {
  if (header.compression === BI_RGB) return null;
  // Masks follow a 40-byte header, or sit inside a V4/V5 header at the same place.
  const at = 14 + 40;
  if (at + 12 > view.byteLength)
    throw new OcrError('invalid_input', 'The BMP colour masks are missing');
  return [view.getUint32(at, true), view.getUint32(at + 4, true), view.getUint32(at + 8, true)];
}

function extract(value: number, mask: number): number {
  if (mask === 0) return 0;
  let shift = 0;
  while (((mask >>> shift) & 1) === 0) shift++;
  const max = mask >>> shift;
  return Math.round((((value & mask) >>> shift) * 255) / max);
}
