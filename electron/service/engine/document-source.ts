import type { Box, DocumentInfo, Point } from '../../../shared/domain';
import type { RgbImage } from './decode';

/** One run of text a PDF page carries itself, boxed in the rendered image's pixels. */
export interface SourceTextItem {
  text: string;
  box: Box;
  /** Four corners, clockwise from the top-left of the run as read (rotated text stays exact). */
  polygon: Point[];
  /** The PDF ends a line after this run. */
  endsLine: boolean;
}

/** A page's own text (a born-digital PDF page), which a task may keep instead of OCR. */
export interface SourceTextLayer {
  items: SourceTextItem[];
  /** The runs joined in the order the PDF stores them, a newline at each line end. */
  text: string;
}

/** One page of a document, decoded, or the reason it could not be. */
export type SourcePage =
  | {
      index: number;
      image: RgbImage;
      warnings?: string[];
      /** Present only when the page has text of its own (PDF input). */
      textLayer?: SourceTextLayer;
    }
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
