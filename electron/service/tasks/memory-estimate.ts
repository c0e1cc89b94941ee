/**
 * Memory a document will need on a device, estimated from its header alone (page size and
 * count), without decoding it. Calibrated with `npm run bench:service`, which prints the
 * estimate beside the measured peak for every corpus document.
 */
import type { DeviceKind } from '../../../shared/contract';
import type { DocumentInfo } from '../../../shared/domain';

export interface EstimateInput {
  info: Pick<DocumentInfo, 'widthPx' | 'heightPx' | 'pageCount'>;
  deviceKind: DeviceKind;
  /** 1 normally; lower after an out-of-memory error. */
  memoryReductionFactor: number;
  /** Pages the engine reads at once (one per worker on the CPU). */
  pagesInFlight: number;
}

/**
 * Memory of a loaded instance before it reads anything, in MB: on the CPU the service process
 * with its worker threads and their detection, classifier and recognition sessions.
 */
const MODEL_FOOTPRINT_MB: Record<DeviceKind, number> = {
  cpu: 300,
  // A CUDA context alone takes a few hundred MB before the sessions' weights and arenas.
  cuda: 700,
  dml: 600,
  coreml: 500,
};

/** The detector never works on more than about this many pixels (long side capped at 1280 px, tiles beyond). */
const DETECTOR_PIXEL_CAP = 1536 * 1536;
/** Working memory per detector megapixel (activations, the probability map, the arena), in MB. */
const DETECT_MB_PER_MEGAPIXEL = 170;
/** Decoded RGB page plus its working copies, per page megapixel, in MB. */
const PAGE_MB_PER_MEGAPIXEL = 12;
/** Recognition batches and line crops, per page in flight, in MB; roughly constant. */
const RECOGNITION_MB = 40;

export function estimateMemoryMb(input: EstimateInput): number {
  const { widthPx, heightPx, pageCount } = input.info;
  const pagePixels = Math.max(1, widthPx * heightPx);
  const factor = Math.min(1, Math.max(0.05, input.memoryReductionFactor));
  const detectorPixels = Math.min(pagePixels, DETECTOR_PIXEL_CAP) * factor * factor;
  const inFlight = Math.max(1, Math.min(pageCount, input.pagesInFlight));

  const perPageMb =
    (detectorPixels / 1e6) * DETECT_MB_PER_MEGAPIXEL +
    (pagePixels / 1e6) * PAGE_MB_PER_MEGAPIXEL +
    RECOGNITION_MB * factor;
  return Math.round(MODEL_FOOTPRINT_MB[input.deviceKind] + perPageMb * inFlight);
}
