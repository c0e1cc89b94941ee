/**
 * A minimal multi-page TIFF writer: 8-bit grey pages, uncompressed, each its own size. sharp
 * joins frames of one size only, and a scanner's TIFF often mixes page sizes.
 */
import sharp from 'sharp';

export interface GreyPage {
  width: number;
  height: number;
  /** One byte a pixel, top row first. */
  pixels: Buffer;
}

/** An image file flattened on white and turned to 8-bit grey, optionally resized. */
export async function greyPageOf(path: string, size?: { width: number; height: number }) {
  let image = sharp(path).flatten({ background: '#ffffff' });
  if (size) image = image.resize(size.width, size.height, { fit: 'fill' });
  const { data, info } = await image
    .greyscale()
    .extractChannel(0)
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, pixels: data } satisfies GreyPage;
}

const TAG_COUNT = 9;
const IFD_BYTES = 2 + TAG_COUNT * 12 + 4;

/** Little-endian baseline TIFF: header, then each page's pixels followed by its directory. */
export function encodeGreyTiff(pages: GreyPage[]): Buffer {
  const parts: Buffer[] = [];
  const header = Buffer.alloc(8);
  header.write('II', 0, 'latin1');
  header.writeUInt16LE(42, 2);
  header.writeUInt32LE(8 + pages[0].pixels.length, 4); // first directory, after page 1's pixels
  parts.push(header);

  let offset = 8;
  pages.forEach((page, i) => {
    const pixelsAt = offset;
    const directoryAt = pixelsAt + page.pixels.length;
    const nextPage = pages[i + 1];
    const nextDirectoryAt = nextPage ? directoryAt + IFD_BYTES + nextPage.pixels.length : 0;

    const directory = Buffer.alloc(IFD_BYTES);
    directory.writeUInt16LE(TAG_COUNT, 0);
    const tags: [tag: number, type: number, value: number][] = [
      [256, 4, page.width], // ImageWidth, LONG
      [257, 4, page.height], // ImageLength
      [258, 3, 8], // BitsPerSample, SHORT
      [259, 3, 1], // Compression: none
      [262, 3, 1], // PhotometricInterpretation: black is zero
      [273, 4, pixelsAt], // StripOffsets
      [277, 3, 1], // SamplesPerPixel
      [278, 4, page.height], // RowsPerStrip: one strip
      [279, 4, page.pixels.length], // StripByteCounts
    ];
    tags.forEach(([tag, type, value], k) => {
      const at = 2 + k * 12;
      directory.writeUInt16LE(tag, at);
      directory.writeUInt16LE(type, at + 2);
      directory.writeUInt32LE(1, at + 4);
      if (type === 3) directory.writeUInt16LE(value, at + 8);
      else directory.writeUInt32LE(value, at + 8);
    });
    directory.writeUInt32LE(nextDirectoryAt, 2 + TAG_COUNT * 12);

    parts.push(page.pixels, directory);
    offset = directoryAt + IFD_BYTES;
  });
  return Buffer.concat(parts);
}
