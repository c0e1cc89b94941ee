import { toErrorInfo } from '../../../shared/errors';
import { decodeImagePage, probeImage, type DecodeLimits } from './decode';
import type { DocumentSource, SourcePage } from './document-source';

/** A raster image file as a document: one page, or one per TIFF page, decoded when asked for. */
export async function openImageDocument(
  path: string,
  limits: DecodeLimits,
): Promise<DocumentSource> {
  const info = await probeImage(path, limits);
  return {
    info,
    async *pages(indices?: number[]): AsyncIterable<SourcePage> {
      const wanted = indices ?? Array.from({ length: info.pageCount }, (_, i) => i);
      for (const index of wanted) {
        try {
          yield { index, image: await decodeImagePage(path, index, limits, info.format) };
        } catch (error) {
          yield { index, error: toErrorInfo(error) };
        }
      }
    },
    close: async () => undefined,
  };
}
