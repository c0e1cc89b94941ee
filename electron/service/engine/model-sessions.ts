import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import { foldActivations } from './activation-folding';
import { alphabetFromDictionary } from './ctc-decode';
import { readDictionary, type ModelFiles } from './model-files';

/** Execution providers OCR Desk knows how to ask onnxruntime for. */
export type ExecutionProvider = 'cpu' | 'cuda' | 'dml' | 'coreml';

export interface SessionTuning {
  /** Threads one inference may use. One per session, with one session per core, measured best. */
  intraOpThreads: number;
  provider: ExecutionProvider;
  /** Keep onnxruntime's CPU arena; it makes repeated shapes cheap. */
  cpuMemArena: boolean;
  /** Memory patterns help fixed shapes only; line widths vary, so it is off by default. */
  memPattern: boolean;
}

export const DEFAULT_SESSION_TUNING: SessionTuning = {
  intraOpThreads: 1,
  provider: 'cpu',
  cpuMemArena: true,
  memPattern: false,
};

/** The PP-OCR sessions one engine worker holds, with the recogniser's alphabet. */
export interface ModelSessions {
  /** Only the worker that detects holds the detector (its activations are the largest). */
  detector: ort.InferenceSession | null;
  classifier: ort.InferenceSession;
  recognizer: ort.InferenceSession;
  alphabet: string[];
}

export async function loadModelSessions(
  files: ModelFiles,
  tuning: SessionTuning,
  withDetector = true,
): Promise<ModelSessions> {
  const options: ort.InferenceSession.SessionOptions = {
    executionProviders: tuning.provider === 'cpu' ? ['cpu'] : [tuning.provider, 'cpu'],
    intraOpNumThreads: tuning.intraOpThreads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    enableCpuMemArena: tuning.cpuMemArena,
    enableMemPattern: tuning.memPattern,
  };
  // Every load is let finish before a failure is reported: the thread may be ended right after,
  // and ending it while onnxruntime still builds a session aborts the whole process.
  const loads = await Promise.allSettled([
    withDetector ? loadFolded(files.detection, options) : null,
    ort.InferenceSession.create(files.classifier, options),
    loadFolded(files.recognition, options),
  ]);
  const failed = loads.find((load) => load.status === 'rejected');
  if (failed) {
    await Promise.all(
      loads.map((load) => (load.status === 'fulfilled' ? load.value?.release() : undefined)),
    );
    throw failed.reason;
  }
  const [detector, classifier, recognizer] = loads.map((load) =>
    load.status === 'fulfilled' ? load.value : null,
  );
  if (!classifier || !recognizer) throw new Error('The classifier or recogniser did not load');
  return {
    detector,
    classifier,
    recognizer,
    alphabet: alphabetFromDictionary(readDictionary(files)),
  };
}

/**
 * A session of the model with its hard-swish blocks folded (see activation-folding.ts; the
 * detector and recogniser take about 0.73 of the time so), or of the file as it is when it
 * cannot be parsed: onnxruntime then says what is wrong with it.
 */
async function loadFolded(
  path: string,
  options: ort.InferenceSession.SessionOptions,
): Promise<ort.InferenceSession> {
  const bytes = readFileSync(path);
  let model: Uint8Array = bytes;
  try {
    model = foldActivations(bytes).model;
  } catch {
    // Not a model this reader understands: onnxruntime reports why.
  }
  return ort.InferenceSession.create(model, options);
}

/** Runs a single-input, single-output session and returns the output's data and dims. */
export async function runSingle(
  session: ort.InferenceSession,
  data: Float32Array,
  dims: number[],
): Promise<{ data: Float32Array; dims: readonly number[] }> {
  const input = new ort.Tensor('float32', data, dims);
  const outputs = await session.run({ [session.inputNames[0]]: input });
  const output = outputs[session.outputNames[0]];
  const result = { data: output.data as Float32Array, dims: output.dims };
  input.dispose();
  return result;
}
