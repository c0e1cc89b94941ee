import type { ErrorInfo } from '../../../shared/errors';
import type { RotatedRect } from './geometry';
import type { PixelRegion } from './line-sampler';
import type { ClassifyOutcome, DetectOutcome, RecognizeOutcome } from './page-ops';

/** An RGB image in shared memory, readable by every worker without a copy. */
export interface SharedImage {
  buffer: SharedArrayBuffer;
  width: number;
  height: number;
}

export type WorkerRequest =
  | {
      kind: 'detect';
      id: number;
      /** The page at the detector's scale. */
      image: SharedImage;
      region: PixelRegion;
      /** Page pixels per detector pixel, along each axis. */
      pageScale: { x: number; y: number };
    }
  | {
      kind: 'recognize';
      id: number;
      /** The page at full resolution. */
      image: SharedImage;
      rects: RotatedRect[];
      flips: boolean[];
      batchWidthPx: number;
    }
  | {
      kind: 'classify';
      id: number;
      image: SharedImage;
      rects: RotatedRect[];
    };

/** CPU time the worker thread spent on the unit, in ms; null where it cannot be read. */
interface UnitCpu {
  cpuMs?: number | null;
}

export type WorkerReply =
  | { kind: 'ready' }
  | { kind: 'failed'; error: ErrorInfo }
  | ({ kind: 'detected'; id: number; outcome: DetectOutcome } & UnitCpu)
  | ({ kind: 'recognized'; id: number; outcome: RecognizeOutcome } & UnitCpu)
  | ({ kind: 'classified'; id: number; outcome: ClassifyOutcome } & UnitCpu)
  | { kind: 'error'; id: number; error: ErrorInfo };
