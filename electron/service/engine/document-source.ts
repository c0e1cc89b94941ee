import type { DocumentInfo } from '../../../shared/domain';
import type { RgbImage } from './decode';

/** One page of a document, decoded, or the reason it could not be. */
export type SourcePage =
  | { index: number; image: RgbImage; warnings?: string[] }
  | { index: number; error: { code: string; message: string } };

/**
 * A document opened for reading, page by page. Implementations keep at most a few pages in
 * memory: `pages()` decodes each page only when the consumer asks for it.
 */
export interface DocumentSource {
  info: DocumentInfo;
  pages(indices?: number[]): AsyncIterable<SourcePage>;
  close(): Promise<void>;
}
