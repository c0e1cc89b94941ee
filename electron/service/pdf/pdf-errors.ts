/** Turns what pdf.js throws into the error codes a user reads. */
import { OcrError } from '../../../shared/errors';

/** Why a whole PDF cannot be opened: encrypted, damaged, or not there. */
export function pdfOpenError(path: string, error: unknown): OcrError {
  if (error instanceof OcrError) return error;
  const name = (error as { name?: string } | null)?.name;
  const message = error instanceof Error ? error.message : String(error);
  if (name === 'PasswordException') {
    return new OcrError(
      'encrypted_document',
      `The PDF is protected by a password and cannot be read: ${path}`,
      { cause: error },
    );
  }
  if (name === 'MissingPDFException') {
    return new OcrError('file_not_found', `File not found: ${path}`, { cause: error });
  }
  if (name === 'InvalidPDFException') {
    return new OcrError('invalid_input', `The PDF is damaged or truncated (${message}): ${path}`, {
      cause: error,
    });
  }
  return new OcrError('invalid_input', `The PDF cannot be read (${message}): ${path}`, {
    cause: error,
  });
}

/**
 * Settles with `work`, or rejects with a `timeout` OcrError after `timeoutMs`. The work itself
 * goes on: only ending its thread (the render worker) can stop a hang.
 */
export async function withTimeout<T>(work: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new OcrError('timeout', `gave up after ${Math.round(timeoutMs / 1000)} s`));
    }, timeoutMs);
  });
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}
