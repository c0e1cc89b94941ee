/**
 * Creating a folder the user named, with its missing parents. Node's own recursive mkdir
 * never returns for a path under a file system that refuses new entries with ENOENT (such as
 * /proc on Linux); these walk up to the nearest existing folder and create each level once,
 * so that every such path fails with an error instead.
 */
import { mkdirSync, statSync } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

/** The mode for folders that hold the user's documents and results: theirs alone. */
export const PRIVATE_FOLDER_MODE = 0o700;

/** `mode` (before the umask) is given to each folder made, not to those already there. */
export async function createFolder(path: string, mode?: number): Promise<void> {
  for (const level of missingLevels(path)) {
    await mkdir(level, { mode }).catch(async (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST' || !(await stat(level)).isDirectory()) throw error;
    });
  }
}

export function createFolderSync(path: string, mode?: number): void {
  for (const level of missingLevels(path)) {
    try {
      mkdirSync(level, { mode });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || !statSync(level).isDirectory())
        throw error;
    }
  }
}

/**
 * The folders to create, outermost first: `path` and its parents up to one that exists. (A few
 * stats of one path: done synchronously for both versions.)
 */
function missingLevels(path: string): string[] {
  const missing: string[] = [];
  for (let at = resolve(path); ; at = dirname(at)) {
    const found = statSync(at, { throwIfNoEntry: false });
    if (found) {
      if (!found.isDirectory()) throw notAFolder(at);
      return missing;
    }
    missing.unshift(at);
    if (dirname(at) === at) return missing;
  }
}

function notAFolder(path: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`ENOTDIR: not a directory, mkdir '${path}'`), {
    code: 'ENOTDIR',
    syscall: 'mkdir',
    path,
  });
}
