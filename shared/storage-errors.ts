/**
 * Recognises failures of the service's own storage (its SQLite database and data folder) by the
 * codes SQLite and the file system give them, so that a full, read-only, failing or locked disk
 * reaches the user as `storage_full` or `storage_unavailable` with what to do, not `internal`.
 * Pure (it reads an error's `code`), so every process can use it.
 */
import type { ErrorInfo } from './errors';

type StorageFault = 'full' | 'locked' | 'read_only' | 'io';

/** SQLite's extended codes (SQLITE_IOERR_WRITE, SQLITE_READONLY_DBMOVED…) share their prefix. */
const SQLITE_PREFIXES: [string, StorageFault][] = [
  ['SQLITE_FULL', 'full'],
  ['SQLITE_BUSY', 'locked'],
  ['SQLITE_LOCKED', 'locked'],
  ['SQLITE_READONLY', 'read_only'],
  ['SQLITE_IOERR', 'io'],
  ['SQLITE_CANTOPEN', 'io'],
];

/**
 * File-system codes that can only mean the disk under the data folder, whatever the file.
 * EACCES and EPERM are left out: on an input file they mean the file, not the storage.
 */
const ERRNO_FAULTS: Record<string, StorageFault> = {
  ENOSPC: 'full',
  EDQUOT: 'full',
  EROFS: 'read_only',
};

const ADVICE: Record<StorageFault, ErrorInfo> = {
  full: {
    code: 'storage_full',
    message: "The disk that holds OCR Desk's data is full: free some space, then retry",
  },
  locked: {
    code: 'storage_unavailable',
    message: "OCR Desk's database is locked by another program: close it, then retry",
  },
  read_only: {
    code: 'storage_unavailable',
    message: "OCR Desk's data folder is read-only: make it writable, then retry",
  },
  io: {
    code: 'storage_unavailable',
    message: 'OCR Desk could not read or write its data (a disk error): check the disk, then retry',
  },
};

function faultOf(code: string): StorageFault | null {
  if (Object.hasOwn(ERRNO_FAULTS, code)) return ERRNO_FAULTS[code];
  return SQLITE_PREFIXES.find(([prefix]) => code.startsWith(prefix))?.[1] ?? null;
}

/** The storage error an error stands for, with the original code and text kept in brackets. */
export function storageErrorInfo(error: unknown): ErrorInfo | null {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code !== 'string') return null;
  const fault = faultOf(code);
  if (!fault) return null;
  const text = typeof message === 'string' ? message : '';
  const detail = text.startsWith(code) ? text : `${code}: ${text}`;
  return { code: ADVICE[fault].code, message: `${ADVICE[fault].message} (${detail})` };
}

export function isStorageError(error: unknown): boolean {
  return storageErrorInfo(error) !== null;
}
