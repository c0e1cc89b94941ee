/** Messages between the PDF source (service thread) and its render worker. */
import type { DocumentInfo } from '../../../shared/domain';
import type { ErrorInfo } from '../../../shared/errors';
import type { SourceTextLayer } from '../engine/document-source';
import type { RenderLimits } from './page-render';

/** What the worker is started with: it opens this file at once and reports `opened`. */
export interface RenderWorkerSetup {
  path: string;
  limits: RenderLimits;
  fileSizeBytes: number;
}

export type RenderRequest = { kind: 'render'; id: number; index: number } | { kind: 'close' };

/** A rendered page's pixels travel as a transferred ArrayBuffer (RGB, 3 bytes a pixel). */
export type RenderReply =
  | { kind: 'opened'; info: DocumentInfo }
  | { kind: 'open-failed'; error: ErrorInfo }
  | {
      kind: 'page';
      id: number;
      index: number;
      image: { buffer: ArrayBuffer; width: number; height: number };
      warnings: string[];
      textLayer?: SourceTextLayer;
    }
  | { kind: 'page-failed'; id: number; index: number; error: ErrorInfo }
  | { kind: 'closed' };
