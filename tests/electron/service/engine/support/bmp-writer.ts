/** An uncompressed 24-bit Windows bitmap, written by hand: sharp has no BMP encoder. */
import type { Sharp } from 'sharp';

/** `image` (three channels, no alpha) as a bottom-up BMP stating 72 dpi. */
export async function encodeBmp(image: Sharp): Promise<Buffer> {
  const { data, info } = await image.raw().toBuffer({ resolveWithObject: true });
  const rowBytes = Math.ceil((info.width * 3) / 4) * 4;
  const headerBytes = 14 + 40;
  const file = Buffer.alloc(headerBytes + rowBytes * info.height);
  file.write('BM', 0, 'latin1');
  file.writeUInt32LE(file.length, 2);
  file.writeUInt32LE(headerBytes, 10);
  file.writeUInt32LE(40, 14);
  file.writeInt32LE(info.width, 18);
  file.writeInt32LE(info.height, 22); // positive: rows stored bottom-up
  file.writeUInt16LE(1, 26);
  file.writeUInt16LE(24, 28);
  file.writeUInt32LE(rowBytes * info.height, 34);
  file.writeInt32LE(2835, 38); // 72 dpi in pixels per metre
  file.writeInt32LE(2835, 42);
  for (let y = 0; y < info.height; y++) {
    const row = headerBytes + (info.height - 1 - y) * rowBytes;
    for (let x = 0; x < info.width; x++) {
      const src = (y * info.width + x) * 3;
      file[row + x * 3] = data[src + 2];
      file[row + x * 3 + 1] = data[src + 1];
      file[row + x * 3 + 2] = data[src];
    }
  }
  return file;
}
