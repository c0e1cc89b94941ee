/**
 * With one CPU instance reading one document at a time, tasks of mixed priorities start and
 * complete highest priority first and, within a priority, in the order they were submitted.
 * Real service process, real models.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { COSMIC_PNG, SIMPLE_PNG, tempDataDir } from './helpers/corpus';
import { startServiceProcess, waitForFinal, type ServiceProcess } from './helpers/service-process';

let service: ServiceProcess | null = null;
after(() => service?.stop());

test('20 tasks complete in priority order, first-in first-out within a priority', async () => {
  const dataDir = tempDataDir();
  writeFileSync(
    join(dataDir, 'config.yaml'),
    'devices:\n  cpu: { enabled: true, memoryLimitMb: null, maxInstances: 1, tasksPerInstance: 1 }\n',
  );
  service = await startServiceProcess(dataDir);
  const { client } = service;

  // Hold the queue so that all 20 are waiting before the first one starts.
  assert.deepEqual(await client.request('pauseQueue', {}), { ok: true, value: { paused: true } });
  const priorities = [0, 2, 1, 0, 2, 1, 1, 0, 2, 0, 1, 2, 0, 0, 1, 2, 0, 1, 2, 1];
  const submitted: { id: string; priority: number; index: number }[] = [];
  for (const [index, priority] of priorities.entries()) {
    const path = index % 2 === 0 ? SIMPLE_PNG : COSMIC_PNG;
    const response = await client.request('submit', { paths: [path], priority });
    assert.ok(response.ok, JSON.stringify(response));
    assert.equal(response.value.tasks.length, 1);
    assert.equal(response.value.tasks[0].status, 'queued');
    submitted.push({ id: response.value.tasks[0].id, priority, index });
  }

  const metrics = await client.request('getMetrics', {});
  assert.ok(metrics.ok);
  assert.deepEqual(metrics.value.queue.depthByPriority, { '0': 7, '1': 7, '2': 6 });
  assert.equal(metrics.value.queue.paused, true);

  await client.request('resumeQueue', {});
  const finished = await waitForFinal(
    client,
    submitted.map((s) => s.id),
    120_000,
  );
  for (const task of finished.values()) assert.equal(task.status, 'completed');

  // The global event id orders the 'started' and 'completed' events across tasks.
  const eventIds = new Map<string, { started: number; completed: number }>();
  for (const { id } of submitted) {
    const events = await client.request('getTaskEvents', { taskId: id });
    assert.ok(events.ok);
    const started = events.value.events.filter((e) => e.type === 'started');
    const completed = events.value.events.filter((e) => e.type === 'completed');
    assert.equal(started.length, 1, 'each task starts exactly once');
    assert.equal(completed.length, 1, 'each task completes exactly once');
    eventIds.set(id, { started: started[0].id, completed: completed[0].id });
  }
  const expected = [...submitted]
    .sort((a, b) => b.priority - a.priority || a.index - b.index)
    .map((s) => `${s.priority}:${s.index}`);
  for (const moment of ['started', 'completed'] as const) {
    const actual = [...submitted].sort(
      (a, b) => eventIds.get(a.id)![moment] - eventIds.get(b.id)![moment],
    );
    assert.deepEqual(
      actual.map((s) => `${s.priority}:${s.index}`),
      expected,
      `order of ${moment}`,
    );
  }
});
