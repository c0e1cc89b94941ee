/**
 * What the service's exit status says when it cannot start, for the process that started it
 * (Electron main, the CLI, `npm run serve`, tests): which failure it was, what the user should
 * read, and whether starting it again can help. Numbers from BSD's sysexits.h.
 */
import { OcrError, type ErrorInfo } from '../../shared/errors';
import { join } from 'node:path';
import { DataFolderLockedError } from './service-lock';

export const SERVICE_EXIT = {
  /** The data folder cannot be written: a read-only file system, or no permission (EX_CANTCREAT). */
  dataFolderUnwritable: 73,
  /** Another live service holds the data folder (EX_TEMPFAIL): it may let go later. */
  dataFolderLocked: 75,
  /** config.yaml is invalid (EX_CONFIG). */
  invalidConfig: 78,
} as const;

/**
 * Error codes that mean the data folder itself refuses writes, not a full or busy disk: also a
 * path through a file (ENOTDIR), and a folder that cannot be made where its parent should be.
 */
const UNWRITABLE_CODES = new Set(['EROFS', 'EACCES', 'EPERM', 'ENOTDIR', 'SQLITE_CANTOPEN']);

/** Whether an error (or the error it wraps) says the data folder cannot be written. */
export function isUnwritableFolderError(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 4; depth += 1) {
    const { code, cause, syscall } = current as {
      code?: unknown;
      cause?: unknown;
      syscall?: unknown;
    };
    if (typeof code === 'string') {
      if (UNWRITABLE_CODES.has(code) || code.startsWith('SQLITE_READONLY')) return true;
      if (code === 'ENOENT' && syscall === 'mkdir') return true;
    }
    current = cause;
  }
  return false;
}

/** The exit status for an error that stopped the service as it started. */
export function startupExitStatus(error: unknown): number {
  if (error instanceof DataFolderLockedError) return SERVICE_EXIT.dataFolderLocked;
  if (isUnwritableFolderError(error)) return SERVICE_EXIT.dataFolderUnwritable;
  if (error instanceof OcrError && error.code === 'invalid_config')
    return SERVICE_EXIT.invalidConfig;
  return 1;
}

/** Whether starting the service again can help after it exited with `status`. */
export function restartCanHelp(status: number | null): boolean {
  return status !== SERVICE_EXIT.dataFolderUnwritable && status !== SERVICE_EXIT.invalidConfig;
}

/**
 * What to tell the user when the service exited with `status` as it started; null for a
 * status that names no known cause (a crash: the host's own message applies).
 */
export function describeStartupExit(status: number | null, dataDir: string): ErrorInfo | null {
  switch (status) {
    case SERVICE_EXIT.dataFolderUnwritable:
      return {
        code: 'storage_unavailable',
        message: `OCR Desk cannot write its data folder ${dataDir}: the disk is read-only, this user may not write there, or the path is not a folder that can be made. Make it writable, or choose another folder (--data-dir or OCR_DESK_DATA_DIR), then start OCR Desk again.`,
      };
    case SERVICE_EXIT.dataFolderLocked:
      return {
        code: 'forbidden',
        message: `Another OCR Desk service is using the data folder ${dataDir}. Close the other OCR Desk (or wait for its batch to end), or choose another folder.`,
      };
    case SERVICE_EXIT.invalidConfig:
      return {
        code: 'invalid_config',
        message: `The configuration in ${join(dataDir, 'config.yaml')} is invalid (the service log names the key). Fix or remove it, then start OCR Desk again.`,
      };
    default:
      return null;
  }
}
