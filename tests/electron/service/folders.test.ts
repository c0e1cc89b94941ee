import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  createFolder,
  createFolderSync,
  PRIVATE_FOLDER_MODE,
} from '../../../electron/service/folders';

const ways = [
  ['createFolder', createFolder],
  ['createFolderSync', async (path: string) => createFolderSync(path)],
] as const;

for (const [name, create] of ways) {
  test(`${name} makes the missing levels and accepts a folder that is there`, async () => {
    const root = mkdtempSync(join(tmpdir(), 'ocr-desk-folders-'));
    const deep = join(root, 'a', 'b', 'c');
    await create(deep);
    assert.ok(statSync(deep).isDirectory());
    await create(deep);
    await create(root);
  });

  test(`${name} refuses a path below a file with ENOTDIR`, async () => {
    const root = mkdtempSync(join(tmpdir(), 'ocr-desk-folders-'));
    writeFileSync(join(root, 'file'), 'x');
    await assert.rejects(create(join(root, 'file', 'sub')), { code: 'ENOTDIR' });
    await assert.rejects(create(join(root, 'file')), { code: 'ENOTDIR' });
  });

  // Node's recursive mkdir never returns here; ours fails.
  test(
    `${name} fails under a file system that takes no new folders`,
    {
      skip: existsSync('/proc/self') ? false : 'no /proc on this system',
    },
    async () => {
      await assert.rejects(create('/proc/ocr-desk-test/a/b'), { code: 'ENOENT' });
    },
  );
}

test(
  'the data folder is made for its user alone; a folder already there keeps its mode',
  {
    skip: process.platform === 'win32' ? 'no POSIX modes on Windows' : false,
  },
  async () => {
    const root = mkdtempSync(join(tmpdir(), 'ocr-desk-folders-'));
    chmodSync(root, 0o755);
    const data = join(root, 'share', 'ocr-desk');
    createFolderSync(data, PRIVATE_FOLDER_MODE);
    for (const made of [data, join(root, 'share')])
      assert.equal(statSync(made).mode & 0o777, 0o700);
    assert.equal(statSync(root).mode & 0o777, 0o755);
    await createFolder(join(root, 'exports', 'a'), PRIVATE_FOLDER_MODE);
    assert.equal(statSync(join(root, 'exports', 'a')).mode & 0o777, 0o700);
  },
);
