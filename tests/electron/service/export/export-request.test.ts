/**
 * The export request through the wire protocol with the real engine: several tasks into one
 * folder, as the app's export of a selection does, each in its own file.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { cpuDevice } from '../../../../electron/service/devices/device-discovery';
import { COSMIC_PNG, SIMPLE_PNG, tempDataDir } from '../helpers/corpus';
import { startInProcess, type InProcessService } from '../helpers/in-process';
import { waitForFinal } from '../helpers/service-process';

let s: InProcessService | null = null;
after(() => s?.close());

test('tasks whose sources share a name are exported to distinct files, none over a source', async () => {
  const root = tempDataDir('ocr-desk-export-');
  for (const folder of ['a', 'b']) mkdirSync(join(root, folder));
  const sources = [join(root, 'a', 'scan.png'), join(root, 'b', 'scan.png')];
  copyFileSync(SIMPLE_PNG, sources[0]);
  copyFileSync(COSMIC_PNG, sources[1]);
  s = await startInProcess({ dataDir: join(root, 'data'), devices: [cpuDevice()] });

  const submitted = await s.client.request('submit', { paths: sources });
  assert.ok(submitted.ok);
  const ids = submitted.value.tasks.map((task) => task.id);
  await waitForFinal(s.client, ids, 60_000);

  // Into the first source's own folder, in two formats, one task asked for twice.
  const destinationDir = join(root, 'a');
  const exported = await s.client.request('export', {
    taskIds: [...ids, ids[0]],
    formats: ['txt', 'pdf'],
    destinationDir,
  });
  assert.ok(exported.ok);
  assert.deepEqual(exported.value.failures, []);
  const paths = exported.value.files.map((file) => file.path);
  assert.equal(paths.length, 4, paths.join(', '));
  assert.equal(new Set(paths).size, 4, paths.join(', '));
  const text = (taskId: string) =>
    readFileSync(
      exported.value.files.find((f) => f.taskId === taskId && f.format === 'txt')!.path,
      'utf8',
    );
  assert.match(text(ids[0]), /Tesseract/);
  assert.match(text(ids[1]), /Cosmic/);
  // The sources are untouched.
  assert.deepEqual(readFileSync(sources[0]), readFileSync(SIMPLE_PNG));

  // A name chosen by the caller is used as given.
  const named = await s.client.request('export', {
    taskIds: [ids[1]],
    formats: ['txt'],
    destinationDir,
    stems: { [ids[1]]: 'cosmic page' },
  });
  assert.ok(named.ok);
  assert.equal(named.value.files[0].path, join(destinationDir, 'cosmic page.txt'));

  // A name with a folder in it is refused at the boundary.
  const escaping = await s.client.request('export', {
    taskIds: [ids[1]],
    formats: ['txt'],
    destinationDir,
    stems: { [ids[1]]: '../escape' },
  });
  assert.equal(escaping.ok, false);
  assert.ok(!escaping.ok && escaping.error.code === 'invalid_request');
});
