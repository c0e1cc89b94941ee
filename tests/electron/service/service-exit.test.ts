/**
 * How the service says why it cannot start: a data folder it cannot write exits 73, a folder
 * another live service holds exits 75, an invalid configuration 78; each status carries a
 * message for the host, and only a lock is worth waiting out. The statuses come from real
 * service processes on a folder made unwritable and on one held by a running service.
 */
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { OcrError } from '../../../shared/errors';
import {
  describeStartupExit,
  restartCanHelp,
  SERVICE_EXIT,
  startupExitStatus,
} from '../../../electron/service/service-exit';
import { DataFolderLockedError } from '../../../electron/service/service-lock';
import { tempDataDir } from './helpers/corpus';
import { startServiceProcess } from './helpers/service-process';
import { makeUnwritable } from './helpers/unwritable-folder';

const dirs: string[] = [];
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function errnoError(code: string): Error {
  return Object.assign(new Error(`${code}: refused`), { code });
}

test('each start failure has its own status, message, and restart verdict', () => {
  assert.equal(startupExitStatus(new DataFolderLockedError(42, '/d')), 75);
  for (const code of ['EROFS', 'EACCES', 'EPERM', 'SQLITE_READONLY', 'SQLITE_READONLY_DBMOVED'])
    assert.equal(startupExitStatus(errnoError(code)), 73, code);
  const wrapped = new Error('Cannot open the database', { cause: errnoError('EROFS') });
  assert.equal(startupExitStatus(wrapped), 73, 'the cause counts');
  // A data folder whose path runs through a file, or that cannot be made where it is asked.
  assert.equal(startupExitStatus(errnoError('ENOTDIR')), 73);
  assert.equal(startupExitStatus(Object.assign(errnoError('ENOENT'), { syscall: 'mkdir' })), 73);
  assert.equal(startupExitStatus(Object.assign(errnoError('ENOENT'), { syscall: 'open' })), 1);
  assert.equal(startupExitStatus(new OcrError('invalid_config', 'bad key')), 78);
  // A full disk may be emptied, a crash may not recur: the host tries again.
  assert.equal(startupExitStatus(errnoError('ENOSPC')), 1);
  assert.equal(startupExitStatus(new Error('boom')), 1);

  assert.deepEqual(
    [73, 75, 78, 1, null].map((status) => restartCanHelp(status)),
    [false, true, false, true, true],
  );
  assert.match(
    describeStartupExit(SERVICE_EXIT.dataFolderUnwritable, '/data')?.message ?? '',
    /^OCR Desk cannot write its data folder \/data: the disk is read-only, this user may not write there, or the path is not a folder that can be made\. Make it writable, or choose another folder/,
  );
  assert.equal(
    describeStartupExit(SERVICE_EXIT.dataFolderUnwritable, '/d')?.code,
    'storage_unavailable',
  );
  assert.equal(describeStartupExit(SERVICE_EXIT.dataFolderLocked, '/d')?.code, 'forbidden');
  assert.equal(describeStartupExit(1, '/d'), null);
});

test('a data folder the service cannot write: exit 73 naming the refusal, not 75', async (t) => {
  const dataDir = tempDataDir('ocr-desk-unwritable-');
  dirs.push(dataDir);
  const undo = makeUnwritable(dataDir);
  if (!undo) return t.skip('this machine cannot make a folder unwritable');
  try {
    const refused = await startServiceProcess(dataDir).then(
      async (service) => {
        await service.stop();
        return 'started';
      },
      (error: Error) => error.message,
    );
    assert.match(refused, /^The service exited with 73 before it was ready/);
    assert.match(refused, /"message":"Cannot start the service".*(EPERM|EACCES)/);
  } finally {
    undo();
  }
  // Writable again, it starts.
  const service = await startServiceProcess(dataDir);
  await service.stop();
});

test('a data folder below a file: exit 73 at once, not restarts', async () => {
  const root = tempDataDir('ocr-desk-below-file-');
  dirs.push(root);
  const file = join(root, 'a-file');
  writeFileSync(file, 'not a folder');
  const refused = await startServiceProcess(join(file, 'data')).then(
    async (service) => {
      await service.stop();
      return 'started';
    },
    (error: Error) => error.message,
  );
  assert.match(refused, /^The service exited with 73 before it was ready/);
  assert.match(refused, /ENOTDIR/);
});

test('a data folder another live service holds: exit 75', async () => {
  const dataDir = tempDataDir('ocr-desk-held-');
  dirs.push(dataDir);
  mkdirSync(join(dataDir, 'logs'), { recursive: true });
  const first = await startServiceProcess(dataDir);
  try {
    await assert.rejects(
      startServiceProcess(dataDir),
      /^Error: The service exited with 75 before it was ready[\s\S]*Another OCR Desk service \(pid \d+\) uses/,
    );
  } finally {
    await first.stop();
  }
});
