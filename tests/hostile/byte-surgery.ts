/**
 * Byte surgery on image files: headers that lie about the size, chunks whose checksum no
 * longer matches, a TIFF page whose pixels point past the end of the file, a TIFF whose page
 * list loops.
 */
import zlib from 'node:zlib';
import { encodeGreyTiff, greyPageOf } from '../electron/service/engine/support/tiff-writer';

const PNG_SIGNATURE = Buffer.from('89504e470d0a1a0a', 'hex');

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(body));
  return Buffer.concat([length, body, crc]);
}

/**
 * A PNG of a few hundred bytes whose header claims `widthPx` x `heightPx`: one compressed row
 * of zeros, so a reader that trusts the header before checking it allocates the whole area.
 */
export function pngWithHeaderSize(widthPx: number, heightPx: number): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(widthPx, 0);
  header.writeUInt32BE(heightPx, 4);
  header[8] = 8; // bit depth
  header[9] = 0; // grey
  const row = Buffer.alloc(Math.min(widthPx, 100_000) + 1);
  return Buffer.concat([
    PNG_SIGNATURE,
    pngChunk('IHDR', header),
    pngChunk('IDAT', zlib.deflateSync(row)),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** The same JPEG with its frame header (SOF0/SOF2) claiming another size. */
export function jpegWithHeaderSize(jpeg: Buffer, widthPx: number, heightPx: number): Buffer {
  const out = Buffer.from(jpeg);
  for (let i = 2; i + 9 < out.length;) {
    if (out[i] !== 0xff) throw new Error('Not a JPEG segment boundary');
    const marker = out[i + 1];
    const length = out.readUInt16BE(i + 2);
    if (marker === 0xc0 || marker === 0xc2) {
      out.writeUInt16BE(heightPx, i + 5);
      out.writeUInt16BE(widthPx, i + 7);
      return out;
    }
    i += 2 + length;
  }
  throw new Error('No frame header found');
}

/** The first chunk of `type` keeps its bytes but gets a wrong checksum. */
export function corruptChunkCrc(png: Buffer, type: string): Buffer {
  const out = Buffer.from(png);
  for (let i = 8; i + 8 <= out.length;) {
    const length = out.readUInt32BE(i);
    if (out.toString('latin1', i + 4, i + 8) === type) {
      const crcAt = i + 8 + length;
      out.writeUInt32BE(out.readUInt32BE(crcAt) ^ 0xdeadbeef, crcAt);
      // Also damage the compressed data, so a reader that skips checksums still fails.
      out.fill(0xff, i + 8 + Math.floor(length / 3), i + 8 + Math.floor(length / 2));
      return out;
    }
    i += 12 + length;
  }
  throw new Error(`No ${type} chunk`);
}

/** Offsets of the strip-offset value of each page directory in encodeGreyTiff's layout. */
const TAG_COUNT = 9;
const IFD_BYTES = 2 + TAG_COUNT * 12 + 4;
const STRIP_OFFSETS_TAG_INDEX = 5;
const IMAGE_WIDTH_TAG_INDEX = 0;

/**
 * Three grey pages (the given images) with the middle one broken; pages 1 and 3 are fine.
 * `pixels`: its pixels point far past the end of the file, as in a TIFF cut short or written by
 * a broken scanner driver. `header`: its directory gives a width of two billion pixels.
 */
export async function brokenMiddlePageTiff(
  imagePaths: [string, string, string],
  damage: 'pixels' | 'header' = 'pixels',
): Promise<Buffer> {
  const pages = await Promise.all(imagePaths.map((p) => greyPageOf(p)));
  const tiff = encodeGreyTiff(pages);
  const secondDirectoryAt = 8 + pages[0].pixels.length + IFD_BYTES + pages[1].pixels.length;
  const [tagIndex, value] =
    damage === 'pixels' ? [STRIP_OFFSETS_TAG_INDEX, 0x7fff_0000] : [IMAGE_WIDTH_TAG_INDEX, 2e9];
  tiff.writeUInt32LE(value, secondDirectoryAt + 2 + tagIndex * 12 + 8);
  return tiff;
}

/**
 * Two grey pages whose second directory names the first as the next page: a loop libvips
 * warns about, as some scanner drivers write. Both pages are readable.
 */
export async function loopingTiff(imagePaths: [string, string]): Promise<Buffer> {
  const pages = await Promise.all(imagePaths.map((p) => greyPageOf(p)));
  const tiff = encodeGreyTiff(pages);
  const firstDirectoryAt = 8 + pages[0].pixels.length;
  const secondDirectoryAt = firstDirectoryAt + IFD_BYTES + pages[1].pixels.length;
  tiff.writeUInt32LE(firstDirectoryAt, secondDirectoryAt + IFD_BYTES - 4);
  return tiff;
}
