/**
 * The user's controls and the service's reporting, through the wire protocol with the real
 * engine: pause and resume of a task, priority change, retry, per-task health and the metrics
 * stream.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { MetricsSnapshot, Task } from '../../../shared/contract';
import { COSMIC_PNG, SIMPLE_PNG, tempDataDir } from './helpers/corpus';
import { startInProcess, type InProcessService } from './helpers/in-process';
import { until } from './helpers/until';
import { cpuDevice } from '../../../electron/service/devices/device-discovery';

let s: InProcessService | null = null;
after(() => s?.close());

async function open(): Promise<InProcessService> {
  s ??= await startInProcess({ dataDir: tempDataDir(), devices: [cpuDevice()] });
  return s;
}

async function task(id: string): Promise<Task> {
  const response = await s!.client.request('getTask', { taskId: id });
  assert.ok(response.ok);
  return response.value.task;
}

test('pause, priority and resume of queued tasks; health of a finished one', async () => {
  const { client } = await open();
  await client.request('pauseQueue', {});
  const submitted = await client.request('submit', { paths: [SIMPLE_PNG, COSMIC_PNG] });
  assert.ok(submitted.ok);
  const [first, second] = submitted.value.tasks;

  const paused = await client.request('pauseTask', { taskId: first.id });
  assert.ok(paused.ok);
  assert.equal(paused.value.status, 'paused');
  const raised = await client.request('setPriority', { taskId: second.id, priority: 7 });
  assert.ok(raised.ok);
  assert.equal(raised.value.priority, 7);
  const metrics = await client.request('getMetrics', {});
  assert.ok(metrics.ok);
  assert.deepEqual(metrics.value.queue.depthByPriority, { '7': 1 });

  const notPaused = await client.request('resumeTask', { taskId: second.id });
  assert.deepEqual(notPaused, {
    ok: false,
    error: { code: 'invalid_request', message: 'The task is not paused (it is queued)' },
  });

  await client.request('resumeQueue', {});
  await until(async () => (await task(second.id)).status === 'completed');
  assert.equal((await task(first.id)).status, 'paused', 'a paused task stays out of the queue');
  const resumed = await client.request('resumeTask', { taskId: first.id });
  assert.ok(resumed.ok);
  await until(async () => (await task(first.id)).status === 'completed');

  const health = await client.request('getTaskHealth', { taskId: second.id });
  assert.ok(health.ok);
  assert.equal(health.value.status, 'completed');
  assert.equal(health.value.device, 'cpu');
  assert.equal(health.value.memoryInUseMb, null);
  assert.ok(health.value.processingTimeMs > 0);
  assert.ok(health.value.memorySamples.length >= 1, 'memory samples are stored as the task runs');
  assert.ok(health.value.memorySamples.every((m) => m.memoryMb > 50));
  assert.ok((health.value.peakMemoryMb ?? 0) >= health.value.memorySamples[0].memoryMb);

  const events = await client.request('getTaskEvents', { taskId: first.id });
  assert.ok(events.ok);
  assert.deepEqual(events.value.events.map((e) => e.type).slice(0, 4), [
    'created',
    'queued',
    'paused',
    'resumed',
  ]);
});

test('a failed task can be retried; it fails again with the same reason', async () => {
  const { client } = await open();
  const broken = join(tempDataDir(), 'broken.png');
  writeFileSync(broken, Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(64)]));
  const submitted = await client.request('submit', { paths: [broken] });
  assert.ok(submitted.ok);
  const id = submitted.value.tasks[0].id;
  await until(async () => (await task(id)).status === 'failed');
  const reason = (await task(id)).failureReason;
  assert.ok(reason === 'invalid_input' || reason === 'unsupported_format', String(reason));

  const retried = await client.request('retry', { taskId: id });
  assert.ok(retried.ok);
  assert.equal(retried.value.status, 'queued');
  assert.equal(retried.value.attempts, 0);
  await until(async () => (await task(id)).status === 'failed');
  const again = await task(id);
  assert.equal(again.failureReason, reason);
  const notAgain = await client.request('retry', { taskId: submitted.value.tasks[0].id });
  assert.ok(notAgain.ok, 'a failed task can be retried as often as the user likes');
});

test('metrics are streamed at least once a second', async () => {
  const { client } = await open();
  const snapshots: MetricsSnapshot[] = [];
  const stop = client.subscribe((event) => {
    if (event.kind === 'metrics') snapshots.push(event.snapshot);
  });
  await new Promise((r) => setTimeout(r, 2600));
  stop();
  assert.ok(snapshots.length >= 2, `${snapshots.length} snapshots in 2.6 s`);
  const last = snapshots.at(-1)!;
  const cpu = last.devices.find((d) => d.device.id === 'cpu')!;
  assert.ok(cpu.memory.usedMb! > 0 && cpu.memory.totalMb! >= cpu.memory.usedMb!);
  assert.equal(
    cpu.memory.limitMb,
    cpu.memory.totalMb,
    'no configured limit: the budget is the total',
  );
  assert.deepEqual(cpu.pool, { busy: 0, idle: 1, max: 1 });
  assert.equal(last.activeTasksByDevice.cpu, 0);
  assert.ok(last.serviceRssMb > 0);
});
