/** Error codes a user can meet, with what they mean. Shared by every process. */
import { storageErrorInfo } from './storage-errors';

export const ERROR_CODES = {
  invalid_input: 'The file is not a readable document, or it is damaged.',
  unsupported_format: 'The file type is not one OCR Desk reads.',
  file_not_found: 'The file does not exist or cannot be opened.',
  image_too_large: 'The image has more pixels than the configured limit.',
  out_of_memory: 'The device ran out of memory while reading the document.',
  pool_exhausted: 'No engine instance became free in time.',
  device_unavailable: 'The chosen device cannot run the models.',
  memory_limit_exceeded: 'No device has enough memory for the document.',
  queue_full: 'The queue holds the maximum number of tasks.',
  timeout: 'The task waited or ran longer than allowed.',
  cancelled: 'The task was cancelled.',
  encrypted_document: 'The document is encrypted.',
  invalid_request: 'The request was malformed.',
  not_found: 'No such task.',
  invalid_config: 'The configuration is invalid.',
  forbidden: 'The request is not allowed.',
  export_failed: 'The export could not be written.',
  storage_full: "The disk that holds OCR Desk's data is full.",
  storage_unavailable:
    "OCR Desk's data cannot be written: the folder is read-only, the disk failed, or another program locks the database.",
  internal: 'An unexpected internal error.',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface ErrorInfo {
  code: ErrorCode;
  message: string;
}

/** An error that carries a user-readable code across process boundaries. */
export class OcrError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(oneLine(message), options);
    this.code = code;
    this.name = 'OcrError';
  }

  toInfo(): ErrorInfo {
    return { code: this.code, message: this.message };
  }
}

/**
 * A message on one line: libraries (libvips among them) put several lines in one error, which
 * would break the CLI's one-line-per-file output and log lines.
 */
export function oneLine(message: string): string {
  return message
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean)
    .join('; ')
    .replace(/; ([)\]}])/g, '$1');
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_CODES, value);
}

/**
 * Turns anything thrown into an ErrorInfo, keeping the code of an OcrError and naming a failure
 * of the service's storage (SQLite or the data folder's disk) as such.
 */
export function toErrorInfo(error: unknown): ErrorInfo {
  if (error instanceof OcrError) return error.toInfo();
  const maybe = error as { code?: unknown; message?: unknown } | null;
  if (maybe && isErrorCode(maybe.code) && typeof maybe.message === 'string') {
    return { code: maybe.code, message: oneLine(maybe.message) };
  }
  const storage = storageErrorInfo(error);
  if (storage) return storage;
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'internal', message: oneLine(message) };
}
