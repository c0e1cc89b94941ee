/**
 * Out of memory on a GPU: an engine wrapper throws onnxruntime's allocation error on a
 * GPU-labelled device. The task falls back to the CPU (real engine) and completes; the event
 * sequence, the failure reasons and the backoff delays are checked with a manual clock.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import type { ConfigPatch, TaskEvent } from '../../../shared/contract';
import { ManualClock } from '../../../electron/service/clock';
import { cpuDevice, type Device } from '../../../electron/service/devices/device-discovery';
import { processMemoryProbe } from '../../../electron/service/devices/memory-probes';
import { createEngine } from '../../../electron/service/engine';
import type { OcrEngineApi } from '../../../electron/service/engine/engine-api';
import { COSMIC_PNG, tempDataDir } from './helpers/corpus';
import { fakeGpu, fakeGpuProbe, startInProcess, type InProcessService } from './helpers/in-process';
import { until } from './helpers/until';

/** The message onnxruntime's CUDA allocator gives when a buffer does not fit. */
const ORT_ALLOCATION_ERROR =
  '[ONNXRuntimeError] : 6 : RUNTIME_EXCEPTION : Non-zero status code returned while running Conv node. ' +
  "Name:'Conv_0' Status Message: Failed to allocate memory for requested buffer of size 268435456";

const opened: InProcessService[] = [];
after(async () => {
  for (const s of opened) await s.close();
});

/** Real engines on the CPU; on the fake GPU an engine whose every run fails for lack of memory. */
function engineFactory(gpuCalls: string[]) {
  return async (device: Device): Promise<OcrEngineApi> => {
    const real = await createEngine({ workers: device.kind === 'cpu' ? 2 : 1 });
    if (device.kind === 'cpu') return real;
    return {
      probe: (path) => real.probe(path),
      recognizeImage: () => Promise.reject(new Error(ORT_ALLOCATION_ERROR)),
      async recognizeDocument(path) {
        gpuCalls.push(path);
        throw new Error(ORT_ALLOCATION_ERROR);
      },
      usage: () => real.usage(),
      close: () => real.close(),
    };
  };
}

/**
 * The service on the CPU and a fake GPU (cuda:0, 300 of 8192 MB in use) whose engine runs out
 * of memory on every run; `gpuCalls` collects the documents the GPU was given.
 */
async function startWithFailingGpu(options: {
  configOverrides: ConfigPatch;
  clock?: ManualClock;
  gpuCalls?: string[];
}): Promise<InProcessService> {
  const s = await startInProcess({
    dataDir: tempDataDir(),
    clock: options.clock,
    devices: [cpuDevice(), fakeGpu()],
    memoryProbes: [processMemoryProbe, fakeGpuProbe('cuda:0', 300, 8192)],
    engineFactory: engineFactory(options.gpuCalls ?? []),
    configOverrides: options.configOverrides,
  });
  opened.push(s);
  return s;
}

async function eventsOf(s: InProcessService, taskId: string): Promise<TaskEvent[]> {
  const response = await s.client.request('getTaskEvents', { taskId });
  assert.ok(response.ok);
  return response.value.events;
}

async function taskStatus(s: InProcessService, taskId: string) {
  const response = await s.client.request('getTask', { taskId });
  assert.ok(response.ok);
  return response.value.task;
}

test('an allocation failure on the GPU falls back to the CPU after the backoff and completes', async () => {
  const clock = new ManualClock();
  const gpuCalls: string[] = [];
  const s = await startWithFailingGpu({
    clock,
    gpuCalls,
    configOverrides: { retry: { initialDelayMs: 1000, backoffMultiplier: 2 } },
  });

  const submitted = await s.client.request('submit', { paths: [COSMIC_PNG] });
  assert.ok(submitted.ok);
  const task = submitted.value.tasks[0];
  assert.equal(task.assignedDevice, 'cuda:0', 'a usable GPU is chosen first');

  await until(async () => (await eventsOf(s, task.id)).some((e) => e.type === 'retried'));
  const afterFailure = await taskStatus(s, task.id);
  assert.equal(afterFailure.status, 'queued');
  assert.equal(afterFailure.assignedDevice, 'cpu');
  assert.equal(afterFailure.failureReason, 'out_of_memory');
  assert.equal(afterFailure.memoryReductionFactor, 0.5);
  assert.equal(afterFailure.priority, task.priority - 1, 're-queued at a lower priority');
  assert.equal(afterFailure.notBeforeMs, clock.now() + 1000);

  // Nothing starts before the backoff has passed.
  clock.advance(999);
  await new Promise((r) => setTimeout(r, 200));
  assert.equal((await taskStatus(s, task.id)).status, 'queued');
  clock.advance(1);
  await until(async () => (await taskStatus(s, task.id)).status === 'completed');

  const done = await taskStatus(s, task.id);
  assert.equal(done.assignedDevice, 'cpu');
  assert.equal(done.attempts, 2);
  assert.equal(done.failureReason, null);
  assert.equal(done.resourceCleanupCompleted, true);
  assert.deepEqual(
    done.warnings.map((w) => w.code),
    ['retried', 'fell_back_to_cpu'],
  );
  assert.equal(gpuCalls.length, 1);

  const events = await eventsOf(s, task.id);
  assert.deepEqual(
    events.map((e) => e.type),
    [
      'created',
      'queued',
      'started',
      'resource_acquired',
      'cleanup_started',
      'resource_released',
      'cleanup_completed',
      'fell_back',
      'retried',
      'queued',
      'started',
      'resource_acquired',
      'page_completed',
      'cleanup_started',
      'resource_released',
      'cleanup_completed',
      'completed',
    ],
  );
  const fellBack = events.find((e) => e.type === 'fell_back')!;
  assert.deepEqual(fellBack.details, { from: 'cuda:0', to: 'cpu', reason: 'out_of_memory' });
  const retried = events.find((e) => e.type === 'retried')!;
  assert.equal(retried.details.reason, 'out_of_memory');
  assert.equal(retried.details.delayMs, 1000);
  assert.match(String(retried.details.message), /ran out of memory: .*Failed to allocate memory/);
  const starts = events.filter((e) => e.type === 'started');
  assert.deepEqual(
    starts.map((e) => e.details.device),
    ['cuda:0', 'cpu'],
  );
  assert.equal(starts[1].atMs - events.find((e) => e.type === 'retried')!.atMs, 1000);
});

test('without CPU fallback the GPU task retries with doubling backoff, then fails out_of_memory', async () => {
  const clock = new ManualClock();
  const gpuCalls: string[] = [];
  const s = await startWithFailingGpu({
    clock,
    gpuCalls,
    configOverrides: {
      retry: { initialDelayMs: 500, backoffMultiplier: 2, maxAttempts: 3, fallbackToCpu: false },
    },
  });

  const submitted = await s.client.request('submit', { paths: [COSMIC_PNG] });
  assert.ok(submitted.ok);
  const id = submitted.value.tasks[0].id;
  const retries = async () => (await eventsOf(s, id)).filter((e) => e.type === 'retried');

  await until(async () => (await retries()).length === 1);
  clock.advance(500);
  await until(async () => (await retries()).length === 2);
  clock.advance(1000);
  await until(async () => (await taskStatus(s, id)).status === 'failed');

  assert.deepEqual(
    (await retries()).map((e) => [
      e.details.delayMs,
      e.details.memoryReductionFactor,
      e.details.device,
    ]),
    [
      [500, 0.5, 'cuda:0'],
      [1000, 0.25, 'cuda:0'],
    ],
  );
  const failed = await taskStatus(s, id);
  assert.equal(failed.failureReason, 'out_of_memory');
  assert.equal(failed.attempts, 3);
  assert.equal(gpuCalls.length, 3);
  const last = (await eventsOf(s, id)).at(-1)!;
  assert.equal(last.type, 'failed');
  assert.equal(last.details.reason, 'out_of_memory');
});

test('a device whose memory limit is below the estimate is skipped; with none left the task fails', async () => {
  const s = await startWithFailingGpu({
    configOverrides: {
      devices: { 'cuda:0': { enabled: true, memoryLimitMb: 100, maxInstances: 1 } },
    },
  });
  await s.client.request('pauseQueue', {});

  const skipped = await s.client.request('submit', { paths: [COSMIC_PNG] });
  assert.ok(skipped.ok);
  assert.equal(skipped.value.tasks[0].assignedDevice, 'cpu');
  assert.equal(skipped.value.tasks[0].status, 'queued');

  const limited = await s.client.request('setConfig', {
    patch: { devices: { cpu: { enabled: true, memoryLimitMb: 120, maxInstances: 1 } } },
  });
  assert.ok(limited.ok);
  const refused = await s.client.request('submit', { paths: [COSMIC_PNG] });
  assert.ok(refused.ok);
  const task = refused.value.tasks[0];
  assert.equal(task.status, 'failed');
  assert.equal(task.failureReason, 'memory_limit_exceeded');
  assert.match(
    task.failureMessage ?? '',
    /needs about \d+ MB; no device has that much \(cuda:0 100 MB, cpu 120 MB\)/,
  );
  assert.ok((task.estimatedMemoryMb ?? 0) > 120);
});
