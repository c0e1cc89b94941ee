/** Requests are checked against the shared schemas at the service boundary. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { tempDataDir } from './helpers/corpus';
import { startInProcess, type InProcessService } from './helpers/in-process';
import { cpuDevice } from '../../../electron/service/devices/device-discovery';

let s: InProcessService | null = null;
after(() => s?.close());

test('malformed payloads are refused with invalid_request naming the field', async () => {
  s = await startInProcess({ dataDir: tempDataDir(), devices: [cpuDevice()] });
  const service = s.service;
  const cases: [string, unknown, RegExp][] = [
    ['submit', { paths: [] }, /paths: Too small/],
    ['submit', { paths: ['a'], priority: 1.5 }, /priority/],
    ['submit', { paths: ['a'], options: { device: 'gpu' } }, /options\.device/],
    ['cancel', {}, /taskId/],
    ['listTasks', { limit: 10_000 }, /limit/],
    ['setConfig', { patch: { queue: { maxSize: -1 } } }, /patch\.queue\.maxSize/],
    ['export', { taskIds: ['x'], formats: ['docx'], destinationDir: '/tmp' }, /formats/],
    ['nonsense', {}, /Unknown channel/],
  ];
  for (const [channel, payload, message] of cases) {
    const result = await service.handle(channel, payload);
    assert.equal(result.ok, false, channel);
    assert.equal(!result.ok && result.error.code, 'invalid_request', channel);
    assert.match(!result.ok ? result.error.message : '', message, channel);
  }
  // Names an object inherits are not channels, whatever they would reach.
  for (const channel of ['__proto__', 'toString', 'constructor', 'hasOwnProperty', 'valueOf']) {
    const result = await service.handle(channel, {});
    assert.deepEqual(
      result,
      { ok: false, error: { code: 'invalid_request', message: `Unknown channel: ${channel}` } },
      channel,
    );
  }
  const missing = await service.handle('getTask', { taskId: 'no-such-task' });
  assert.deepEqual(missing, {
    ok: false,
    error: { code: 'not_found', message: 'No task with id no-such-task' },
  });
  // An export folder that cannot be made is the export's failure, not an internal error.
  const underAFile = await service.handle('export', {
    taskIds: ['x'],
    formats: ['txt'],
    destinationDir: join(service.dataDir, 'ocr-desk.sqlite', 'out'),
  });
  assert.equal(!underAFile.ok && underAFile.error.code, 'export_failed');
  assert.match(!underAFile.ok ? underAFile.error.message : '', /^Cannot create .*ENOTDIR/);
  const config = await service.handle('setConfig', { patch: { queue: { maxSize: 5 } } });
  assert.ok(config.ok);
  const formats = await s.client.request('listExportFormats', {});
  assert.ok(formats.ok);
  assert.deepEqual(
    formats.value.formats.map((f) => f.id),
    ['txt', 'md', 'json', 'hocr', 'alto', 'csv', 'pdf'],
  );
});
