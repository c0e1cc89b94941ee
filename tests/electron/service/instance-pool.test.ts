/**
 * Pool bookkeeping with a thin fake engine (loading real models would only slow these
 * checks down; the integration tests use the real engine through the same pool).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ManualClock } from '../../../electron/service/clock';
import { cpuDevice } from '../../../electron/service/devices/device-discovery';
import type { OcrEngineApi } from '../../../electron/service/engine/engine-api';
import { silentLogger } from '../../../electron/service/logger';
import { InstancePool, type PoolLimits } from '../../../electron/service/pool/instance-pool';
import { OcrError } from '../../../shared/errors';

function setup(limits: Partial<PoolLimits> = {}, memoryMb: number | null = 100) {
  const clock = new ManualClock();
  const closed: number[] = [];
  let made = 0;
  const pool = new InstancePool({
    factory: async () => {
      const id = ++made;
      return {
        probe: () => Promise.reject(new Error('unused')),
        recognizeDocument: () => Promise.reject(new Error('unused')),
        recognizeImage: () => Promise.reject(new Error('unused')),
        usage: () => ({ inferenceMs: 0, workerBusyMs: 0, workerCpuMs: 0 }),
        close: async () => void closed.push(id),
      } satisfies OcrEngineApi;
    },
    clock,
    limits: () => ({
      maxTotal: 2,
      maxPerDevice: () => 1,
      tasksPerInstance: () => 1,
      idleUnloadMs: 1000,
      recycleAfterPages: 10,
      recycleAboveMemoryMb: 500,
      ...limits,
    }),
    memoryMb: () => memoryMb,
    logger: silentLogger,
    onChange: () => undefined,
  });
  return { pool, clock, closed, made: () => made };
}

const settle = () => new Promise((r) => setImmediate(r));

test('an instance is reused; a second acquire waits and gets it on release', async () => {
  const { pool, made } = setup();
  const first = await pool.acquire(cpuDevice(), 5000);
  assert.deepEqual(pool.stats('cpu'), { busy: 1, idle: 0, max: 1 });
  assert.equal(pool.hasCapacity('cpu'), false);
  const waiting = pool.acquire(cpuDevice(), 5000);
  pool.release(first);
  assert.equal(await waiting, first);
  pool.release(first);
  assert.equal(await pool.acquire(cpuDevice(), 5000), first);
  assert.equal(made(), 1);
});

test('acquire gives up with pool_exhausted after its timeout', async () => {
  const { pool, clock } = setup();
  await pool.acquire(cpuDevice(), 5000);
  const waiting = pool.acquire(cpuDevice(), 2000);
  clock.advance(2000);
  await assert.rejects(
    waiting,
    (error: unknown) => error instanceof OcrError && error.code === 'pool_exhausted',
  );
});

test('idle instances are unloaded after the idle time', async () => {
  const { pool, clock, closed } = setup();
  const instance = await pool.acquire(cpuDevice(), 5000);
  pool.release(instance);
  clock.advance(999);
  assert.deepEqual(pool.stats('cpu'), { busy: 0, idle: 1, max: 1 });
  clock.advance(1);
  await settle();
  assert.deepEqual(pool.stats('cpu'), { busy: 0, idle: 0, max: 1 });
  assert.deepEqual(closed, [1]);
});

test('an instance is recycled after its page budget or past the memory threshold', async () => {
  const byPages = setup();
  const worn = await byPages.pool.acquire(cpuDevice(), 5000);
  worn.pagesRead = 10;
  byPages.pool.release(worn);
  await settle();
  assert.deepEqual(byPages.closed, [1]);
  const fresh = await byPages.pool.acquire(cpuDevice(), 5000);
  assert.notEqual(fresh, worn);

  const byMemory = setup({}, 800);
  const grown = await byMemory.pool.acquire(cpuDevice(), 5000);
  byMemory.pool.release(grown);
  await settle();
  assert.deepEqual(byMemory.closed, [1]);
});

test('a discarded instance frees its slot at once but closes only after its run settles', async () => {
  const { pool, closed } = setup();
  const instance = await pool.acquire(cpuDevice(), 5000);
  let finishRun: () => void = () => undefined;
  const run = new Promise<void>((resolve) => (finishRun = resolve));
  pool.discard(instance, run);
  assert.equal(pool.hasCapacity('cpu'), true);
  await settle();
  assert.deepEqual(closed, []);
  finishRun();
  await settle();
  assert.deepEqual(closed, [1]);
});

test('an instance serves up to tasksPerInstance tasks at once, then acquire waits', async () => {
  const { pool, made } = setup({ tasksPerInstance: () => 2 });
  const first = await pool.acquire(cpuDevice(), 5000);
  assert.equal(pool.hasCapacity('cpu'), true);
  const second = await pool.acquire(cpuDevice(), 5000);
  assert.equal(second, first, 'the second task shares the loaded instance');
  assert.equal(made(), 1);
  assert.deepEqual(pool.stats('cpu'), { busy: 1, idle: 0, max: 1 });
  assert.equal(pool.hasCapacity('cpu'), false);

  let third: unknown = null;
  void pool.acquire(cpuDevice(), 5000).then((instance) => (third = instance));
  await settle();
  assert.equal(third, null, 'a third task waits');
  pool.release(first);
  await settle();
  assert.equal(third, first, 'and gets the instance when one task lets go');
});

test('tasks that wait while the instance loads share it once it is loaded', async () => {
  const { pool, made } = setup({ tasksPerInstance: () => 2 });
  const [a, b] = await Promise.all([
    pool.acquire(cpuDevice(), 5000),
    pool.acquire(cpuDevice(), 5000),
  ]);
  assert.equal(a, b);
  assert.equal(made(), 1);
});

test('a shared instance is recycled only after its last task lets go', async () => {
  const { pool, closed } = setup({ tasksPerInstance: () => 2 });
  const first = await pool.acquire(cpuDevice(), 5000);
  const second = await pool.acquire(cpuDevice(), 5000);
  first.pagesRead = 10;
  pool.release(first);
  await settle();
  assert.deepEqual(closed, [], 'the other task still reads on it');
  assert.equal(pool.hasCapacity('cpu'), true, 'a fresh instance may load beside it');
  const fresh = await pool.acquire(cpuDevice(), 5000);
  assert.notEqual(fresh, first, 'the worn instance takes no new task');
  pool.release(second);
  await settle();
  assert.deepEqual(closed, [1]);
});

test('a shared instance discarded by one task closes after the other lets go', async () => {
  const { pool, closed } = setup({ tasksPerInstance: () => 2 });
  const instance = await pool.acquire(cpuDevice(), 5000);
  await pool.acquire(cpuDevice(), 5000);
  pool.discard(instance);
  await settle();
  assert.deepEqual(closed, []);
  pool.release(instance);
  await settle();
  assert.deepEqual(closed, [1]);
});
