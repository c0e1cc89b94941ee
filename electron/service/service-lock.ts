/**
 * One service per data folder: two would run the same queued tasks twice. The lock file holds
 * the owner's pid; a lock whose process is gone (the service was killed) is taken over. The
 * same kind of lock keeps two CLI batches out of one output folder.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { OcrError } from '../../shared/errors';
import { serviceLockPath } from './data-dir';

export interface PidLock {
  release(): void;
}

/** The lock's refusal: another live service uses the data folder. */
export class DataFolderLockedError extends OcrError {
  constructor(
    readonly ownerPid: number,
    dataDir: string,
  ) {
    super('forbidden', `Another OCR Desk service (pid ${ownerPid}) uses ${dataDir}`);
    this.name = 'DataFolderLockedError';
  }
}

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The pid of the live service holding the data folder, or null. */
export function lockOwner(dataDir: string): number | null {
  return pidLockOwner(serviceLockPath(dataDir));
}

/**
 * Takes the data folder's lock. Throws DataFolderLockedError when a live service holds it, and
 * the file system's own error (EROFS, EACCES, ENOSPC…) when the folder cannot be written.
 */
export function acquireServiceLock(dataDir: string): PidLock {
  return acquirePidLock(
    serviceLockPath(dataDir),
    (owner) => new DataFolderLockedError(owner, dataDir),
  );
}

/** The pid of the live process holding the lock file at `path`, or null. */
export function pidLockOwner(path: string): number | null {
  try {
    const pid = Number(JSON.parse(readFileSync(path, 'utf8')).pid);
    return Number.isInteger(pid) && pid > 0 && isProcessAlive(pid) ? pid : null;
  } catch {
    return null;
  }
}

/**
 * Takes the lock file at `path` for this process, taking over one whose process is gone.
 * Throws `held(pid)` when a live process holds it, and the file system's own error when the
 * file cannot be written.
 */
export function acquirePidLock(path: string, held: (ownerPid: number) => Error): PidLock {
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      writeFileSync(path, JSON.stringify({ pid: process.pid }), { flag: 'wx' });
      return {
        release() {
          if (pidLockOwner(path) === process.pid) rmSync(path, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        // Made but not written (a full disk): an empty lock would only puzzle the next one.
        rmSync(path, { force: true });
        throw error;
      }
      const owner = pidLockOwner(path);
      if (owner !== null && owner !== process.pid) throw held(owner);
      // The previous owner is gone: take the lock over.
      rmSync(path, { force: true });
    }
  }
  throw new OcrError('internal', `Could not lock ${path}`);
}
