/**
 * The service configuration: defaults, validation (refusing with the key and the reason) and
 * merging of partial configurations, such as a YAML file or a setConfig patch.
 */
import type { ConfigPatch, DeviceConfig, ServiceConfig } from '../../../shared/contract';
import { OcrError } from '../../../shared/errors';
import { configPatchSchema, describeIssue, serviceConfigSchema } from '../../../shared/schemas';

export const DEFAULT_CONFIG: ServiceConfig = {
  queue: { maxSize: 100, timeoutMs: 300_000, priorityEnabled: true },
  resourceTracking: true,
  cleanupTimeoutMs: 30_000,
  retry: {
    maxAttempts: 3,
    initialDelayMs: 1_000,
    backoffMultiplier: 2,
    memoryReductionFactor: 0.5,
    fallbackToCpu: true,
  },
  pool: {
    maxTotalInstances: 4,
    acquireTimeoutMs: 30_000,
    idleUnloadMs: 300_000,
    recycleAfterPages: 1_000,
    recycleAboveMemoryMb: 3_000,
  },
  devices: {
    // The engine spreads one document over every core itself, so a second CPU instance would
    // only compete for the same cores and double the model memory.
    cpu: { enabled: true, memoryLimitMb: null, maxInstances: 1 },
  },
  defaultDevice: { enabled: true, memoryLimitMb: null, maxInstances: 1 },
  engine: { maxPixels: 250_000_000, useClassifier: true, cpuWorkers: 0 },
  metrics: { sampleIntervalMs: 1_000 },
};

/** Validates a whole configuration; throws `invalid_config` naming the key and the reason. */
export function validateConfig(value: unknown): ServiceConfig {
  const parsed = serviceConfigSchema.safeParse(value);
  if (!parsed.success) {
    throw new OcrError('invalid_config', `Invalid configuration: ${describeIssue(parsed.error)}`);
  }
  return parsed.data;
}

/** Validates a partial configuration the same way. */
export function validatePatch(value: unknown): ConfigPatch {
  const parsed = configPatchSchema.safeParse(value ?? {});
  if (!parsed.success) {
    throw new OcrError('invalid_config', `Invalid configuration: ${describeIssue(parsed.error)}`);
  }
  return parsed.data as ConfigPatch;
}

/** Applies a patch section by section; a device entry in the patch replaces only that device. */
export function mergeConfig(base: ServiceConfig, patch: ConfigPatch): ServiceConfig {
  const merged: ServiceConfig = {
    queue: { ...base.queue, ...patch.queue },
    resourceTracking: patch.resourceTracking ?? base.resourceTracking,
    cleanupTimeoutMs: patch.cleanupTimeoutMs ?? base.cleanupTimeoutMs,
    retry: { ...base.retry, ...patch.retry },
    pool: { ...base.pool, ...patch.pool },
    devices: mergeDevices(base, patch.devices ?? {}),
    defaultDevice: { ...base.defaultDevice, ...patch.defaultDevice },
    engine: { ...base.engine, ...patch.engine },
    metrics: { ...base.metrics, ...patch.metrics },
  };
  return validateConfig(merged);
}

/** Each device the patch names: its settings so far (or the default device's), then the patch's. */
function mergeDevices(
  base: ServiceConfig,
  patch: Record<string, Partial<DeviceConfig>>,
): Record<string, DeviceConfig> {
  const devices = { ...base.devices };
  for (const [id, settings] of Object.entries(patch)) {
    devices[id] = { ...(base.devices[id] ?? base.defaultDevice), ...settings };
  }
  return devices;
}

export function deviceConfigOf(config: ServiceConfig, deviceId: string): DeviceConfig {
  return config.devices[deviceId] ?? config.defaultDevice;
}
