/**
 * Browser mode's uploads: a good one lands in its own folder and is granted; one that is
 * refused or cut off (an empty file, the stream failing as on a full disk) leaves nothing in
 * the data folder and is not granted.
 */
import assert from 'node:assert/strict';
import { readdirSync, rmSync } from 'node:fs';
import { Readable } from 'node:stream';
import { after, test } from 'node:test';
import { OcrError } from '../../../../shared/errors';
import { FileDropBox } from '../../../../electron/service/server/file-drop-box';
import { GrantedPaths } from '../../../../electron/service/server/granted-paths';
import { tempDataDir } from '../helpers/corpus';

const dataDir = tempDataDir('ocr-desk-drop-box-');
after(() => rmSync(dataDir, { recursive: true, force: true }));

test('a refused or cut-off upload leaves no folder behind', async () => {
  const grants = new GrantedPaths();
  const box = new FileDropBox(dataDir, grants);

  const kept = await box.receive(Readable.from([Buffer.from('scan bytes')]), 'scan.png', 10);
  assert.ok(grants.mayRead(kept));
  assert.equal(readdirSync(box.uploadsDir).length, 1);

  await assert.rejects(
    box.receive(Readable.from([]), 'empty.png', 0),
    (error: unknown) => error instanceof OcrError && error.code === 'invalid_input',
  );
  const noSpace = Object.assign(new Error('ENOSPC: no space left on device, write'), {
    code: 'ENOSPC',
  });
  const cutOff = new Readable({
    read() {
      this.push(Buffer.from('half a file'));
      this.destroy(noSpace);
    },
  });
  await assert.rejects(box.receive(cutOff, 'cut.png', null), noSpace);
  assert.equal(readdirSync(box.uploadsDir).length, 1, 'only the good upload is left');
});
