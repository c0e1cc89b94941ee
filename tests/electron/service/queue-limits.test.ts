/**
 * Queue limits on the real service process: a full queue refuses with a clear error, a task
 * that waits past the queue timeout fails with `timeout`, and cancelling a running task frees
 * its engine instance within a second.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { ServiceEvent, TaskEvent } from '../../../shared/contract';
import type { TransportClient } from '../../../electron/service/transport/rpc';
import { BOOK_TIFF, SIMPLE_PNG, tempDataDir } from './helpers/corpus';
import { startServiceProcess, waitForFinal, type ServiceProcess } from './helpers/service-process';

let service: ServiceProcess | null = null;
after(() => service?.stop());

async function start(): Promise<TransportClient> {
  if (service) return service.client;
  const dataDir = tempDataDir();
  writeFileSync(
    join(dataDir, 'config.yaml'),
    // One document at a time on the one CPU instance, so that a second task has to wait.
    'queue:\n  maxSize: 3\n  timeoutMs: 1000\nretry:\n  maxAttempts: 1\n' +
      'devices:\n  cpu: { enabled: true, memoryLimitMb: null, maxInstances: 1, tasksPerInstance: 1 }\n',
  );
  service = await startServiceProcess(dataDir);
  return service.client;
}

function nextEvent(client: TransportClient, match: (e: TaskEvent) => boolean): Promise<TaskEvent> {
  return new Promise((resolve) => {
    const stop = client.subscribe((event: ServiceEvent) => {
      if (event.kind === 'task_event' && match(event.event)) {
        stop();
        resolve(event.event);
      }
    });
  });
}

test('a full queue refuses new files with queue_full', async () => {
  const client = await start();
  await client.request('pauseQueue', {});
  const response = await client.request('submit', { paths: Array(5).fill(SIMPLE_PNG) });
  assert.ok(response.ok);
  assert.equal(response.value.tasks.length, 3);
  assert.equal(response.value.rejected.length, 2);
  for (const rejection of response.value.rejected) {
    assert.equal(rejection.error.code, 'queue_full');
    assert.match(rejection.error.message, /The queue is full \(3 tasks waiting\)/);
  }

  // Cancelled tasks leave room again.
  for (const task of response.value.tasks) {
    const cancelled = await client.request('cancel', { taskId: task.id });
    assert.ok(cancelled.ok);
    assert.equal(cancelled.value.status, 'cancelled');
    assert.equal(cancelled.value.resourceCleanupCompleted, true);
  }
  await client.request('resumeQueue', {});
});

test('a task waiting past the queue timeout fails with timeout; cancel frees the busy instance within a second', async () => {
  const client = await start();
  const busy = await client.request('submit', { paths: [BOOK_TIFF] });
  assert.ok(busy.ok);
  const busyId = busy.value.tasks[0].id;
  await nextEvent(client, (e) => e.taskId === busyId && e.type === 'resource_acquired');

  // The one CPU instance is busy with the book page, so this one can only wait.
  const waiting = await client.request('submit', { paths: [SIMPLE_PNG] });
  assert.ok(waiting.ok);
  const waitingId = waiting.value.tasks[0].id;
  const [timedOut] = (await waitForFinal(client, [waitingId], 10_000)).values();
  assert.equal(timedOut.status, 'failed');
  assert.equal(timedOut.failureReason, 'timeout');
  assert.match(timedOut.failureMessage ?? '', /waited more than 1 s in the queue/);
  assert.equal(timedOut.startedAtMs, null);

  const status = await client.request('getTask', { taskId: busyId });
  assert.ok(status.ok);
  assert.equal(status.value.task.status, 'running', 'the book page is still being read');

  const released = nextEvent(client, (e) => e.taskId === busyId && e.type === 'resource_released');
  const cancelledAt = Date.now();
  const cancelled = await client.request('cancel', { taskId: busyId });
  assert.ok(cancelled.ok);
  await released;
  const releaseMs = Date.now() - cancelledAt;
  assert.ok(releaseMs < 1000, `instance released ${releaseMs} ms after cancel`);

  const [final] = (await waitForFinal(client, [busyId], 5_000)).values();
  assert.equal(final.status, 'cancelled');
  assert.equal(final.failureReason, 'cancelled');
  assert.equal(final.resourceCleanupCompleted, true);

  const metrics = await client.request('getMetrics', {});
  assert.ok(metrics.ok);
  const cpu = metrics.value.devices.find((d) => d.device.id === 'cpu');
  assert.equal(cpu?.pool.busy, 0);
  assert.equal(metrics.value.activeTasksByDevice.cpu, 0);

  // The queue carries on: a new task runs to completion.
  const next = await client.request('submit', { paths: [SIMPLE_PNG] });
  assert.ok(next.ok);
  const [done] = (await waitForFinal(client, [next.value.tasks[0].id], 30_000)).values();
  assert.equal(done.status, 'completed');
});
