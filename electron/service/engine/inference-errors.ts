import { toErrorInfo, type ErrorInfo } from '../../../shared/errors';

/** Messages onnxruntime and the C++ runtime give when an allocation fails. */
const OUT_OF_MEMORY_PATTERNS = [
  /failed to allocate memory/i,
  /bad_alloc/i,
  /out of memory/i,
  /CUDNN_STATUS_ALLOC_FAILED/i,
  /cudaErrorMemoryAllocation/i,
];

/** Classifies an error thrown by an inference run, recognising allocation failures. */
export function classifyInferenceError(error: unknown): ErrorInfo {
  const info = toErrorInfo(error);
  if (info.code === 'internal' && OUT_OF_MEMORY_PATTERNS.some((p) => p.test(info.message))) {
    return { code: 'out_of_memory', message: `The device ran out of memory: ${info.message}` };
  }
  return info;
}
