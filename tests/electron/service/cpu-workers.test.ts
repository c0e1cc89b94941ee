import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { test } from 'node:test';
import { DEFAULT_CONFIG } from '../../../electron/service/config/service-config';
import { cpuWorkersFor } from '../../../electron/service/service';

const withWorkers = (cpuWorkers: number) => ({
  ...DEFAULT_CONFIG,
  engine: { ...DEFAULT_CONFIG.engine, cpuWorkers },
});

test('engine workers: one per core by default, fewer on request, never more than the cores', () => {
  const cores = Math.max(1, availableParallelism());
  assert.equal(cpuWorkersFor(withWorkers(0)), cores);
  assert.equal(cpuWorkersFor(withWorkers(1)), 1);
  assert.equal(cpuWorkersFor(withWorkers(64)), cores, 'a configuration from a larger machine');
});
