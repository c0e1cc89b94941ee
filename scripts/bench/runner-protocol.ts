// What the benchmark sends to each runner's child process and what it gets back, as JSON
// files named on the child's command line (stdout stays free for the runners' own noise).

export const RUNNER_NAMES = ['ours', 'tesseract', 'gutenye'] as const;
export type RunnerName = (typeof RUNNER_NAMES)[number];

/** One image with its ground truth beside it. */
export interface BenchFile {
  /** Folder of the file relative to the corpus root; the root's own name for files in it. */
  set: string;
  /** File name without its extension, e.g. `a020`. */
  name: string;
  imagePath: string;
  groundTruthPath: string;
  pageCount: number;
}

export interface RunnerRequest {
  files: BenchFile[];
}

/** Stage times summed over a document's pages, in ms (ours only). */
export interface StageTotalsMs {
  decode: number;
  detect: number;
  classify: number;
  recognize: number;
  layout: number;
  total: number;
  inference: number;
}

export interface FileRun {
  imagePath: string;
  /** Everything the runner read in the document, pages separated by blank lines. */
  text: string;
  /** From the call's start to its result; for Tesseract, the process's lifetime. */
  wallMs: number;
  pagesRead: number;
  stageTotalsMs?: StageTotalsMs;
  warnings?: string[];
  error?: string;
}

export interface SetRun {
  set: string;
  /** Wall time of the whole set, files processed the way the runner is meant to be used. */
  wallMs: number;
  /** Peak resident memory while the set ran, in MB; null when it could not be read. */
  peakRssMb: number | null;
  /** CPU time of the runner's process over the set, all threads, in ms. */
  cpuMs: number;
  /** Of which inside onnxruntime calls, in thread-ms; for runners that can tell (ours). */
  inferenceMs: number | null;
}

export interface RunnerResult {
  runner: RunnerName;
  /** Version or model details worth recording beside the numbers. */
  description: string;
  /** Loading models and sessions before the first file, in ms; not part of any set's time. */
  startupMs: number;
  startupPeakRssMb: number | null;
  sets: SetRun[];
  files: FileRun[];
}
