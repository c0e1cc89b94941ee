import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadConfigFile, saveConfigFile } from '../../../electron/service/config/config-file';
import { DEFAULT_CONFIG, mergeConfig } from '../../../electron/service/config/service-config';
import { systemClock } from '../../../electron/service/clock';
import { OcrError } from '../../../shared/errors';
import { MAX_TIMER_MS } from '../../../shared/schemas';
import { tempDataDir } from './helpers/corpus';

test('defaults are those the service promises', () => {
  assert.equal(DEFAULT_CONFIG.queue.maxSize, 100);
  assert.equal(DEFAULT_CONFIG.queue.timeoutMs, 300_000);
  assert.equal(DEFAULT_CONFIG.queue.priorityEnabled, true);
  assert.equal(DEFAULT_CONFIG.resourceTracking, true);
  assert.equal(DEFAULT_CONFIG.cleanupTimeoutMs, 30_000);
  assert.deepEqual(
    [
      DEFAULT_CONFIG.retry.maxAttempts,
      DEFAULT_CONFIG.retry.backoffMultiplier,
      DEFAULT_CONFIG.retry.memoryReductionFactor,
    ],
    [3, 2, 0.5],
  );
});

test('a missing file means defaults; a partial file is merged over them', () => {
  const dir = tempDataDir();
  const path = join(dir, 'config.yaml');
  assert.deepEqual(loadConfigFile(path), DEFAULT_CONFIG);
  writeFileSync(path, 'queue:\n  maxSize: 7\nretry:\n  fallbackToCpu: false\n');
  const config = loadConfigFile(path);
  assert.equal(config.queue.maxSize, 7);
  assert.equal(config.queue.timeoutMs, 300_000);
  assert.equal(config.retry.fallbackToCpu, false);
  assert.equal(config.retry.maxAttempts, 3);

  // A device's settings merge too: what is left out keeps its value, or the default device's.
  writeFileSync(path, 'devices:\n  cpu: { enabled: false }\n  cuda:0: { maxInstances: 2 }\n');
  const devices = loadConfigFile(path).devices;
  assert.deepEqual(devices.cpu, { ...DEFAULT_CONFIG.devices.cpu, enabled: false });
  assert.deepEqual(devices['cuda:0'], { ...DEFAULT_CONFIG.defaultDevice, maxInstances: 2 });
});

test('invalid configuration is refused with the key and the reason', () => {
  const dir = tempDataDir();
  const path = join(dir, 'config.yaml');
  const refused = (yaml: string) => {
    writeFileSync(path, yaml);
    try {
      loadConfigFile(path);
    } catch (error) {
      assert.ok(error instanceof OcrError);
      assert.equal(error.code, 'invalid_config');
      return error.message;
    }
    assert.fail('accepted');
  };
  assert.match(refused('queue:\n  maxSize: 0\n'), /queue\.maxSize: .*>=1/);
  assert.match(refused('retry:\n  memoryReductionFactor: 2\n'), /retry\.memoryReductionFactor/);
  assert.match(refused('queue:\n  maxsize: 5\n'), /queue: Unrecognized key.*maxsize/);
  assert.match(refused('devices:\n  gpu0:\n    enabled: true\n'), /devices/);
  assert.match(refused('queue: [unclosed\n'), /Invalid configuration in .*config\.yaml/);
});

test('a delay longer than a timer can wait is refused with the key and the reason', () => {
  const path = join(tempDataDir(), 'config.yaml');
  const timerKeys: Array<[string, string]> = [
    ['queue', 'timeoutMs'],
    ['retry', 'initialDelayMs'],
    ['pool', 'acquireTimeoutMs'],
    ['pool', 'idleUnloadMs'],
  ];
  for (const [section, key] of timerKeys) {
    writeFileSync(path, `${section}:\n  ${key}: ${2 ** 31}\n`);
    assert.throws(
      () => loadConfigFile(path),
      (error: unknown) =>
        error instanceof OcrError &&
        error.code === 'invalid_config' &&
        error.message.includes(`${section}.${key}: at most ${MAX_TIMER_MS} ms`),
      `${section}.${key}`,
    );
    writeFileSync(path, `${section}:\n  ${key}: ${MAX_TIMER_MS}\n`);
    assert.equal(
      (loadConfigFile(path) as unknown as Record<string, Record<string, number>>)[section][key],
      MAX_TIMER_MS,
    );
  }
  assert.throws(
    () => mergeConfig(DEFAULT_CONFIG, { cleanupTimeoutMs: 1e12 }),
    /cleanupTimeoutMs: at most 2147483647 ms/,
  );
});

test('the system clock holds a computed delay above the timer limit at the limit', async () => {
  const warnings: string[] = [];
  const onWarning = (warning: Error) => warnings.push(warning.name);
  process.on('warning', onWarning);
  let fired = false;
  const cancel = systemClock.setTimer(2 ** 40, () => (fired = true));
  await new Promise((resolve) => setTimeout(resolve, 50));
  cancel();
  process.off('warning', onWarning);
  assert.equal(fired, false);
  assert.deepEqual(warnings, []);
});

test('a saved configuration reads back the same; patches merge per section', () => {
  const path = join(tempDataDir(), 'config.yaml');
  const changed = mergeConfig(DEFAULT_CONFIG, {
    pool: { idleUnloadMs: 5 },
    devices: { 'cuda:0': { enabled: false, memoryLimitMb: 4000, maxInstances: 2 } },
  });
  assert.equal(changed.pool.maxTotalInstances, DEFAULT_CONFIG.pool.maxTotalInstances);
  assert.deepEqual(Object.keys(changed.devices).sort(), ['cpu', 'cuda:0']);
  saveConfigFile(path, changed);
  assert.match(readFileSync(path, 'utf8'), /^# OCR Desk service configuration/);
  assert.deepEqual(loadConfigFile(path), changed);
});
