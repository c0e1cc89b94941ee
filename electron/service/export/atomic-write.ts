/**
 * Writes a file so that its final name only ever holds a complete file: the bytes go to a
 * temporary file beside it (same folder, so the rename stays on one filesystem), are flushed
 * to disk, then renamed over the destination. On any failure the temporary file is removed.
 */
import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { OcrError } from '../../../shared/errors';

export async function writeFileAtomic(
  destPath: string,
  content: string | Uint8Array,
): Promise<void> {
  const tempPath = join(
    dirname(destPath),
    `.${basename(destPath)}.${randomBytes(6).toString('hex')}.tmp`,
  );
  try {
    const handle = await open(tempPath, 'wx');
    try {
      await handle.writeFile(content);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tempPath, destPath);
  } catch (error) {
    await rm(tempPath, { force: true }).catch(() => undefined);
    const reason = (error as Error).message;
    throw new OcrError('export_failed', `Cannot write ${destPath} (${reason})`, { cause: error });
  }
}
