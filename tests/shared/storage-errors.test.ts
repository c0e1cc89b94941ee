/**
 * Storage failures reach the user with a storage code and what to do, from real SQLite errors
 * (a full database via max_page_count, a lock held by another connection, a read-only handle)
 * and the file system's codes; other errors keep their code.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import Database from 'better-sqlite3';
import { OcrError, toErrorInfo, type ErrorInfo } from '../../shared/errors';
import { isStorageError } from '../../shared/storage-errors';
import { tempDataDir } from '../electron/service/helpers/corpus';

const dir = tempDataDir('ocr-desk-storage-errors-');
after(() => rmSync(dir, { recursive: true, force: true }));

function thrownBy(work: () => unknown): unknown {
  try {
    work();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

function infoOf(work: () => unknown): ErrorInfo {
  return toErrorInfo(thrownBy(work));
}

test('SQLite errors of the database become storage codes with the advice and the cause', () => {
  const path = join(dir, 'store.sqlite');
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.exec('CREATE TABLE t (x BLOB)');

  // The database may not grow past its current pages: the next insert finds the "disk" full.
  db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
  const full = infoOf(() => db.prepare('INSERT INTO t VALUES (zeroblob(100000))').run());
  assert.equal(full.code, 'storage_full');
  assert.match(full.message, /disk .* is full: free some space, then retry \(SQLITE_FULL: /);

  const holder = new Database(path);
  holder.exec('BEGIN EXCLUSIVE');
  db.pragma('busy_timeout = 0');
  const locked = infoOf(() => db.exec('CREATE TABLE u (y)'));
  assert.equal(locked.code, 'storage_unavailable');
  assert.match(locked.message, /locked by another program: close it, then retry \(SQLITE_BUSY/);
  holder.exec('ROLLBACK');
  holder.close();
  db.close();

  const readOnly = new Database(path, { readonly: true });
  const refused = infoOf(() => readOnly.exec('CREATE TABLE v (z)'));
  assert.equal(refused.code, 'storage_unavailable');
  assert.match(refused.message, /read-only: make it writable, then retry \(SQLITE_READONLY/);
  readOnly.close();
});

test('file-system codes that can only mean the disk become storage codes; others do not', () => {
  const noSpace = Object.assign(new Error('ENOSPC: no space left on device, write'), {
    code: 'ENOSPC',
  });
  assert.deepEqual(toErrorInfo(noSpace), {
    code: 'storage_full',
    message:
      "The disk that holds OCR Desk's data is full: free some space, then retry (ENOSPC: no space left on device, write)",
  });
  const readOnly = Object.assign(new Error("EROFS: read-only file system, open '/d/x'"), {
    code: 'EROFS',
  });
  assert.equal(toErrorInfo(readOnly).code, 'storage_unavailable');
  assert.ok(isStorageError(readOnly));

  // A file the user chose that cannot be read is not a storage fault.
  const denied = Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
  assert.equal(toErrorInfo(denied).code, 'internal');
  assert.equal(isStorageError(denied), false);
  // An export already names its own failure.
  const exportFailed = new OcrError('export_failed', 'Cannot write /out/a.txt (ENOSPC)', {
    cause: noSpace,
  });
  assert.equal(toErrorInfo(exportFailed).code, 'export_failed');
  // A code an object inherits is not an error code.
  assert.equal(toErrorInfo({ code: 'toString', message: 'x' }).code, 'internal');
});
