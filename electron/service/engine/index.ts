import { availableParallelism } from 'node:os';
import type { EngineOptions, OcrEngineApi } from './engine-api';
import { OcrEngine } from './engine';
import { defaultModelFiles } from './model-files';
import { DEFAULT_SESSION_TUNING } from './model-sessions';
import { EngineWorkers } from './worker-pool';

export type { DocumentResult, EngineOptions, OcrEngineApi, RecognizeOptions } from './engine-api';
export { sniffFormat } from './decode';

/** Default page size limit: 250 megapixels, about an A0 poster at 300 dpi. */
export const DEFAULT_MAX_PIXELS = 250_000_000;

export function defaultEngineOptions(): EngineOptions {
  return {
    modelFiles: defaultModelFiles(),
    workers: Math.max(1, availableParallelism()),
    provider: 'cpu',
    maxPixels: DEFAULT_MAX_PIXELS,
    useClassifier: true,
  };
}

/**
 * Starts an engine: `workers` threads, each with its own single-threaded sessions of the
 * detection, classifier and recognition models.
 */
export async function createEngine(overrides: Partial<EngineOptions> = {}): Promise<OcrEngineApi> {
  const options = { ...defaultEngineOptions(), ...overrides };
  const tuning = { ...DEFAULT_SESSION_TUNING, provider: options.provider };
  const workers = await EngineWorkers.start(options.workers, options.modelFiles, tuning);
  return new OcrEngine(workers, options);
}
