/**
 * With one CPU instance, tasks of mixed priorities start highest priority first and, within a
 * priority, in the order they were submitted. Real service process, real models.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { COSMIC_PNG, SIMPLE_PNG, tempDataDir } from './helpers/corpus';
import { startServiceProcess, waitForFinal, type ServiceProcess } from './helpers/service-process';

let service: ServiceProcess | null = null;
after(() => service?.stop());

test('20 tasks complete in priority order, first-in first-out within a priority', async () => {
  service = await startServiceProcess(tempDataDir());
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

  // The global event id orders the 'started' events across tasks.
  const startedAt = new Map<string, number>();
  for (const { id } of submitted) {
    const events = await client.request('getTaskEvents', { taskId: id });
    assert.ok(events.ok);
    const started = events.value.events.filter((e) => e.type === 'started');
    assert.equal(started.length, 1, 'each task starts exactly once');
    startedAt.set(id, started[0].id);
  }
  const actual = [...submitted].sort((a, b) => startedAt.get(a.id)! - startedAt.get(b.id)!);
  const expected = [...submitted].sort((a, b) => b.priority - a.priority || a.index - b.index);
  assert.deepEqual(
    actual.map((s) => `${s.priority}:${s.index}`),
    expected.map((s) => `${s.priority}:${s.index}`),
  );
});
