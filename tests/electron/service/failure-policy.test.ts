import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_CONFIG } from '../../../electron/service/config/service-config';
import {
  backoffDelayMs,
  decideAfterFailure,
  type FailureContext,
} from '../../../electron/service/tasks/failure-policy';

const base: FailureContext = {
  error: { code: 'out_of_memory', message: 'Failed to allocate memory' },
  attempts: 1,
  priority: 2,
  device: 'cuda:0',
  memoryReductionFactor: 1,
  cpuAvailable: true,
  retry: DEFAULT_CONFIG.retry,
};

test('out of memory on a GPU: back to the CPU, half the resolution, lower priority, 1 s later', () => {
  assert.deepEqual(decideAfterFailure(base), {
    action: 'retry',
    delayMs: 1000,
    priority: 1,
    device: 'cpu',
    memoryReductionFactor: 0.5,
    fellBackToCpu: true,
  });
});

test('without fallback the GPU is kept; delays grow by the multiplier', () => {
  const retry = { ...DEFAULT_CONFIG.retry, fallbackToCpu: false };
  const second = decideAfterFailure({ ...base, retry, attempts: 2, memoryReductionFactor: 0.5 });
  assert.deepEqual(second, {
    action: 'retry',
    delayMs: 2000,
    priority: 1,
    device: 'cuda:0',
    memoryReductionFactor: 0.25,
    fellBackToCpu: false,
  });
  assert.deepEqual(
    [1, 2, 3, 4].map((n) =>
      backoffDelayMs({ ...retry, initialDelayMs: 300, backoffMultiplier: 3 }, n),
    ),
    [300, 900, 2700, 8100],
  );
});

test('attempts used up, or an error a retry cannot fix, fail the task', () => {
  assert.deepEqual(decideAfterFailure({ ...base, attempts: 3 }), { action: 'fail' });
  for (const code of [
    'invalid_input',
    'unsupported_format',
    'file_not_found',
    'cancelled',
    'timeout',
    'storage_full',
  ] as const) {
    assert.deepEqual(
      decideAfterFailure({ ...base, error: { code, message: code } }),
      { action: 'fail' },
      code,
    );
  }
});

test('an unreachable data folder may come back: the task is retried', () => {
  const error = { code: 'storage_unavailable', message: 'locked' } as const;
  assert.equal(decideAfterFailure({ ...base, error }).action, 'retry');
});

test('other failures retry on the same device at the same resolution', () => {
  const decision = decideAfterFailure({
    ...base,
    device: 'cpu',
    error: { code: 'internal', message: 'x' },
  });
  assert.deepEqual(decision, {
    action: 'retry',
    delayMs: 1000,
    priority: 1,
    device: 'cpu',
    memoryReductionFactor: 1,
    fellBackToCpu: false,
  });
});
