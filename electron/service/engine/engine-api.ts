import type { DocumentInfo, PageResult } from '../../../shared/domain';
import type { ErrorInfo } from '../../../shared/errors';
import type { RgbImage } from './decode';
import type { ExecutionProvider } from './model-sessions';
import type { ModelFiles } from './model-files';

export interface EngineOptions {
  modelFiles: ModelFiles;
  /** Worker threads, each with its own single-threaded model sessions. Default: CPU cores. */
  workers: number;
  provider: ExecutionProvider;
  /** Largest page accepted, in pixels. */
  maxPixels: number;
  /** Run the 180° line classifier. */
  useClassifier: boolean;
}

export interface RecognizeOptions {
  /** Zero-based pages to read; all when absent. */
  pages?: number[];
  signal?: AbortSignal;
  /** Called as each page finishes, in page order. */
  onPage?: (page: PageResult) => void;
  /** Called when one page fails; the other pages are still read. */
  onPageError?: (pageIndex: number, error: ErrorInfo) => void;
  /**
   * Multiplies the detector's working resolution and batch sizes (0 < f <= 1); the service
   * lowers it after an out-of-memory error.
   */
  memoryReductionFactor?: number;
  /**
   * For PDF pages that carry their own text (born-digital): 'keep' stores that text without
   * OCR (exact and fast); 'ocr' reads the rendered page anyway. Default 'keep'.
   */
  pdfText?: 'keep' | 'ocr';
}

export interface DocumentResult {
  info: DocumentInfo;
  pages: PageResult[];
  pageErrors: { pageIndex: number; error: ErrorInfo }[];
}

/** Work an engine has done since it started, summed over its worker threads. */
export interface EngineUsage {
  /** Time inside onnxruntime calls, in thread-ms. */
  inferenceMs: number;
  /** Time the workers spent on units of work (inference and their own pre- and post-processing), in thread-ms. */
  workerBusyMs: number;
  /**
   * CPU time the workers used on those units, in ms; null where threads' CPU time cannot be
   * read. Below workerBusyMs when the machine is busy and the workers wait for a core.
   */
  workerCpuMs: number | null;
}

/** What the service, CLI and benchmark need of an engine instance. */
export interface OcrEngineApi {
  /** Reads the document's header (format, pages, size) without decoding its pixels. */
  probe(path: string): Promise<DocumentInfo>;
  /** Reads every requested page; rejects only when the document as a whole cannot be read. */
  recognizeDocument(path: string, options?: RecognizeOptions): Promise<DocumentResult>;
  /** Reads one already-decoded page. */
  recognizeImage(
    image: RgbImage,
    pageIndex?: number,
    options?: RecognizeOptions,
  ): Promise<PageResult>;
  usage(): EngineUsage;
  close(): Promise<void>;
}
