/**
 * Memory a document will need on a device, estimated from its header alone (page size and
 * count), without decoding it. Calibrated with `npm run bench:service`, which prints the
 * estimate beside the measured peak for every corpus document.
 */
import type { DeviceKind } from '../../../shared/contract';
import type { DocumentInfo } from '../../../shared/domain';
import { DETECTION_TILE_MAX_PIXELS } from '../engine/detection-plan';

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
 * KNOWN LIMITATION: the GPU figures are not calibrated (no GPU on the machine the bench ran
 * on); a GPU task's estimate may be off by more than the CPU's ±30%.
 */
const MODEL_FOOTPRINT_MB: Record<DeviceKind, number> = {
  cpu: 285,
  // A CUDA context alone takes a few hundred MB before the sessions' weights and arenas.
  cuda: 700,
  dml: 600,
  coreml: 500,
};

/**
 * Detector pixels beyond which memory hardly grows, in pixels: the detector reads a page in
 * strips of at most this many pixels, and onnxruntime's arena reuses its blocks between them.
 */
const DETECTOR_PIXEL_CAP = DETECTION_TILE_MAX_PIXELS;
/** Detection working memory (activations, probability map, arena), in MB per megapixel. */
const DETECT_MB_PER_MEGAPIXEL = 300;
/** The decoded RGB page and its working copies, in MB per page megapixel. */
const PAGE_MB_PER_MEGAPIXEL = 4;

export function estimateMemoryMb(input: EstimateInput): number {
  const { widthPx, heightPx, pageCount } = input.info;
  const pagePixels = Math.max(1, widthPx * heightPx);
  const factor = Math.min(1, Math.max(0.05, input.memoryReductionFactor));
  const detectorPixels = Math.min(pagePixels, DETECTOR_PIXEL_CAP) * factor * factor;
  const inFlight = Math.max(1, Math.min(pageCount, input.pagesInFlight));

  const perPageMb =
    (detectorPixels / 1e6) * DETECT_MB_PER_MEGAPIXEL + (pagePixels / 1e6) * PAGE_MB_PER_MEGAPIXEL;
  return Math.round(MODEL_FOOTPRINT_MB[input.deviceKind] + perPageMb * inFlight);
}
