import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deviceSections } from '../../renderer/views/settings-view';

test('each device gets its own section of its switch, instances, documents and memory limit', () => {
  const sections = deviceSections(['cpu', 'cuda:0']);
  assert.deepEqual(
    sections.map((s) => s.title),
    ['Device cpu', 'Device cuda:0'],
  );
  assert.deepEqual(
    sections[1].fields.map((f) => [f.path, f.kind]),
    [
      ['devices.cuda:0.enabled', 'bool'],
      ['devices.cuda:0.maxInstances', 'int'],
      ['devices.cuda:0.tasksPerInstance', 'optional-number'],
      ['devices.cuda:0.memoryLimitMb', 'optional-number'],
    ],
  );
});
