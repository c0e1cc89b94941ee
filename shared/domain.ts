/** Domain types shared by every process. No Node, Electron or DOM imports here. */

/** A point in page pixels (x right, y down) of the decoded, EXIF-oriented page image. */
export type Point = [x: number, y: number];

/** An axis-aligned rectangle in page pixels. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface OcrWord {
  text: string;
  confidence: number;
  box: Box;
}

export interface OcrLine {
  text: string;
  /** Mean of the character confidences, 0..1. */
  confidence: number;
  /** Four corners, clockwise from the top-left of the text as read. */
  polygon: Point[];
  box: Box;
  words: OcrWord[];
  /** One confidence per character of `text`, 0..1. */
  charConfidences: number[];
}

export interface OcrBlock {
  box: Box;
  lines: OcrLine[];
}

export type PageWarningCode =
  'page_scaled_down' | 'low_confidence' | 'no_text_found' | 'page_rotated' | 'line_too_long';

export interface PageWarning {
  code: PageWarningCode;
  message: string;
}

export interface StageTimingsMs {
  decode: number;
  detect: number;
  classify: number;
  recognize: number;
  layout: number;
  total: number;
  /** Part of the stages above spent inside onnxruntime calls. */
  inference: number;
}

export type PageRotation = 0 | 90 | 180 | 270;

export interface PageResult {
  /** Zero-based page index within the document. */
  pageIndex: number;
  widthPx: number;
  heightPx: number;
  /** Clockwise rotation, in degrees, that makes the page's text upright. */
  rotation: PageRotation;
  blocks: OcrBlock[];
  /** Blocks in reading order, separated by blank lines. */
  text: string;
  /** Mean line confidence weighted by characters, 0..1 (1 when there is no text). */
  confidence: number;
  warnings: PageWarning[];
  timingsMs: StageTimingsMs;
  /** Resident memory of the engine's process when the page finished, in MB. */
  rssMb: number;
  /** Where the text came from: OCR, or the PDF page's own text layer. Absent means OCR. */
  textSource?: 'ocr' | 'pdf-text';
}

export type DocumentFormat = 'png' | 'jpeg' | 'webp' | 'tiff' | 'bmp' | 'gif' | 'pdf';

/** What a document's header says, read without decoding its pixels. */
export interface DocumentInfo {
  format: DocumentFormat;
  pageCount: number;
  /** Size of the largest page, in pixels. */
  widthPx: number;
  heightPx: number;
  fileSizeBytes: number;
}

/** Formats a stored result can be exported to. */
export const EXPORT_FORMATS = ['txt', 'md', 'json', 'hocr', 'alto', 'csv', 'pdf'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Everything an exporter needs: the source document and its stored page results. */
export interface ExportDocument {
  sourcePath: string;
  info: DocumentInfo;
  pages: PageResult[];
}
