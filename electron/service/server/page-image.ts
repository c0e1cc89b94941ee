/**
 * Renders one page of a task's document for the detail view (the service's getPageImage):
 * decoded the way the engine decodes it (orientation, colour), turned upright as the result
 * says, scaled down, as a JPEG data URL.
 */
import sharp from 'sharp';
import type { PageImage } from '../../../shared/contract';
import { OcrError } from '../../../shared/errors';
import { openDocument } from '../engine/document-open';

const JPEG_QUALITY = 82;

export async function renderPageImage(
  sourcePath: string,
  pageIndex: number,
  target: { widthPx: number; heightPx: number; rotation: number },
  options: { maxSidePx: number; maxPixels: number },
): Promise<PageImage> {
  const source = await openDocument(sourcePath, { maxPixels: options.maxPixels });
  try {
    for await (const page of source.pages([pageIndex])) {
      if ('error' in page) throw new OcrError('invalid_input', page.error.message);
      const { data, width, height } = page.image;
      let image = sharp(Buffer.from(data.buffer, data.byteOffset, data.byteLength), {
        raw: { width, height, channels: 3 },
      });
      // The lines are in the upright page's pixels; turn the image the same way when its
      // shape shows that the engine did.
      const swapped = width === target.heightPx && height === target.widthPx && width !== height;
      if (target.rotation !== 0 && (swapped || target.rotation === 180))
        image = image.rotate(target.rotation);
      const jpeg = await image
        .resize({
          width: options.maxSidePx,
          height: options.maxSidePx,
          fit: 'inside',
          withoutEnlargement: true,
        })
        .jpeg({ quality: JPEG_QUALITY })
        .toBuffer();
      return {
        dataUrl: `data:image/jpeg;base64,${jpeg.toString('base64')}`,
        widthPx: target.widthPx,
        heightPx: target.heightPx,
      };
    }
    throw new OcrError('not_found', `The document has no page ${pageIndex + 1}.`);
  } finally {
    await source.close();
  }
}
