/**
 * Browser mode's files on the server side: uploads written to their own folder under the data
 * folder (these are the user's chosen files, and are granted), folders created for exports,
 * and the check that a download stays inside the export area.
 */
import { createWriteStream, realpathSync } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { basename, isAbsolute, join, relative } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { OcrError } from '../../../shared/errors';
import type { GrantedPaths } from './granted-paths';

/** Largest upload accepted, in bytes. */
export const MAX_UPLOAD_BYTES = 512 * 1024 * 1024;

/** A file name safe on every platform: no folders, no control or reserved characters. */
export function safeFileName(requested: string): string {
  const name = [...basename(requested.replace(/\\/g, '/'))]
    .map((char) => (char.charCodeAt(0) < 0x20 || '<>:"/\\|?*'.includes(char) ? '_' : char))
    .join('')
    .replace(/^\.+/, '_')
    .slice(0, 200);
  return name.trim() === '' ? 'upload' : name;
}

function uniqueId(): string {
  return `${Date.now().toString(36)}-${randomBytes(6).toString('hex')}`;
}

export class FileDropBox {
  readonly uploadsDir: string;
  readonly exportsDir: string;

  constructor(
    dataDir: string,
    private readonly grants: GrantedPaths,
  ) {
    this.uploadsDir = join(dataDir, 'uploads');
    this.exportsDir = join(dataDir, 'exports');
  }

  /** Streams one upload into a fresh folder and grants it; refuses one over the size limit. */
  async receive(
    body: Readable,
    requestedName: string,
    declaredBytes: number | null,
  ): Promise<string> {
    if (declaredBytes !== null && declaredBytes > MAX_UPLOAD_BYTES) {
      throw new OcrError(
        'invalid_input',
        `The file is larger than ${MAX_UPLOAD_BYTES / 1024 / 1024} MB.`,
      );
    }
    const folder = join(this.uploadsDir, uniqueId());
    await mkdir(folder, { recursive: true });
    const path = join(folder, safeFileName(requestedName));

    let received = 0;
    body.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > MAX_UPLOAD_BYTES)
        body.destroy(new OcrError('invalid_input', 'The file is too large.'));
    });
    try {
      await pipeline(body, createWriteStream(path, { flags: 'wx' }));
      if ((await stat(path)).size === 0) throw new OcrError('invalid_input', 'The file is empty.');
    } catch (error) {
      // A refused, cut-off or disk-full upload leaves nothing behind in the data folder.
      await rm(folder, { recursive: true, force: true });
      throw error;
    }
    this.grants.grantInputs([path]);
    return path;
  }

  async newExportDir(): Promise<string> {
    const dir = join(
      this.exportsDir,
      new Date().toISOString().replace(/[:.]/g, '-') + '-' + randomBytes(3).toString('hex'),
    );
    await mkdir(dir, { recursive: true });
    this.grants.grantExportDir(dir);
    return dir;
  }

  /** The real path of an exported file, or null when it is not inside the export area. */
  exportedFile(path: string): string | null {
    try {
      const real = realpathSync.native(path);
      const rel = relative(realpathSync.native(this.exportsDir), real);
      return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? real : null;
    } catch {
      return null;
    }
  }
}
