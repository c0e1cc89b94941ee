/**
 * Puts the service together on a data folder: configuration, store, devices, pool, queue,
 * scheduler, metrics, and the request handler. Plain Node; the same function runs under
 * Electron's utility process, the CLI's child process, `npm run serve` and the tests.
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type {
  ConfigPatch,
  Result,
  ServiceConfig,
  ServiceEvent,
  Unsubscribe,
} from '../../shared/contract';
import type { DocumentInfo } from '../../shared/domain';
import { type Clock, systemClock } from './clock';
import { loadConfigFile, saveConfigFile } from './config/config-file';
import { deviceConfigOf, mergeConfig, validatePatch } from './config/service-config';
import { type Device, discoverDevices } from './devices/device-discovery';
import { DeviceMonitor } from './devices/device-monitor';
import { defaultMemoryProbes, type MemoryProbe } from './devices/memory-probes';
import { createEngine } from './engine';
import { probeDocument } from './engine/document-open';
import { createLogger, type Logger } from './logger';
import { MetricsSampler } from './metrics/metrics-sampler';
import type { OcrEngineApi } from './engine/engine-api';
import { InstancePool } from './pool/instance-pool';
import { PriorityQueue } from './queue/priority-queue';
import { openDatabase, type Db } from './store/database';
import { ResultStore } from './store/result-store';
import { TaskStore } from './store/task-store';
import { createRequestHandler } from './api/request-handler';
import { Scheduler } from './tasks/scheduler';
import type { ServiceContext } from './tasks/service-context';
import { createFolderSync, PRIVATE_FOLDER_MODE } from './folders';
import { TaskManager } from './tasks/task-manager';
import { TaskRecorder } from './tasks/task-recorder';
import { serveTransport } from './transport/rpc';
import type { MessageTransport } from './transport/message-transport';

export interface ServiceOptions {
  dataDir: string;
  /** Makes engines; defaults to the real engine with the device's execution provider. */
  engineFactory?: (device: Device, config: ServiceConfig) => Promise<OcrEngineApi>;
  /** Reads a document header; defaults to the engine's header reader. */
  probe?: (path: string, config: ServiceConfig) => Promise<DocumentInfo>;
  /** Replaces device discovery (tests add a GPU-labelled fake this way). */
  devices?: Device[];
  memoryProbes?: MemoryProbe[];
  clock?: Clock;
  logger?: Logger;
  /** Applied over config.yaml for this run only (not saved). */
  configOverrides?: ConfigPatch;
}

export interface OcrService {
  readonly dataDir: string;
  handle(channel: string, payload: unknown): Promise<Result<unknown>>;
  subscribe(listener: (event: ServiceEvent) => void): Unsubscribe;
  /** Serves requests and streams events over a transport until it closes. */
  attach(transport: MessageTransport): Unsubscribe;
  /** Internals for tests and benchmarks in this process. */
  readonly context: ServiceContext;
  readonly db: Db;
  close(): Promise<void>;
}

/** Documents one instance on the device reads at once (see DeviceConfig.tasksPerInstance). */
export function tasksPerInstanceOf(config: ServiceConfig, deviceId: string): number {
  const configured = deviceConfigOf(config, deviceId).tasksPerInstance;
  if (configured !== undefined && configured !== null) return configured;
  return deviceId === 'cpu' ? cpuWorkersFor(config) : 1;
}

/**
 * Engine workers on the CPU: one per core, or fewer when the configuration says so. Never more
 * than the cores: each worker's sessions run single-threaded, so more only cost model memory
 * (a configuration written on a larger machine asked 64 of a 2-core one: 4.6 GB, no page read).
 */
export function cpuWorkersFor(config: ServiceConfig): number {
  const cores = Math.max(1, availableParallelism());
  return config.engine.cpuWorkers > 0 ? Math.min(config.engine.cpuWorkers, cores) : cores;
}

export async function startService(options: ServiceOptions): Promise<OcrService> {
  const dataDir = options.dataDir;
  createFolderSync(join(dataDir, 'logs'), PRIVATE_FOLDER_MODE);
  const logger =
    options.logger ??
    createLogger({ component: 'service', filePath: join(dataDir, 'logs', 'service.log') });
  const clock = options.clock ?? systemClock;

  // Configuration: the file over the defaults, then this run's overrides.
  const configPath = join(dataDir, 'config.yaml');
  let config = loadConfigFile(configPath);
  if (options.configOverrides) config = mergeConfig(config, validatePatch(options.configOverrides));
  const getConfig = () => config;

  const db = openDatabase(join(dataDir, 'ocr-desk.sqlite'));
  const store = new TaskStore(db);
  const results = new ResultStore(db);

  const listeners = new Set<(event: ServiceEvent) => void>();
  const emit = (event: ServiceEvent) => {
    for (const listener of [...listeners]) {
      try {
        listener(event);
      } catch (error) {
        logger.warn('An event subscriber failed', { error });
      }
    }
  };

  const devices = options.devices ?? (await discoverDevices());
  const monitor = new DeviceMonitor(
    devices,
    options.memoryProbes ?? defaultMemoryProbes(),
    getConfig,
  );
  await monitor.refresh();

  const engineFactory =
    options.engineFactory ??
    ((device: Device, current: ServiceConfig) =>
      createEngine({
        provider: device.provider,
        workers: device.kind === 'cpu' ? cpuWorkersFor(current) : 1,
        maxPixels: current.engine.maxPixels,
        useClassifier: current.engine.useClassifier,
      }));
  const probe =
    options.probe ??
    ((path: string, current: ServiceConfig) =>
      probeDocument(path, { maxPixels: current.engine.maxPixels }));

  let scheduler: Scheduler | null = null;
  const pool = new InstancePool({
    factory: (device) => engineFactory(device, config),
    clock,
    limits: () => ({
      maxTotal: config.pool.maxTotalInstances,
      maxPerDevice: (id) => deviceConfigOf(config, id).maxInstances,
      tasksPerInstance: (id) => tasksPerInstanceOf(config, id),
      idleUnloadMs: config.pool.idleUnloadMs,
      recycleAfterPages: config.pool.recycleAfterPages,
      recycleAboveMemoryMb: config.pool.recycleAboveMemoryMb,
    }),
    memoryMb: (id) => monitor.memory(id).usedMb,
    logger: logger.child('pool'),
    onChange: () => scheduler?.wake(),
  });

  const ctx: ServiceContext = {
    store,
    results,
    recorder: new TaskRecorder(store, clock, emit, logger.child('recorder')),
    queue: new PriorityQueue(config.queue.priorityEnabled),
    pool,
    monitor,
    clock,
    logger,
    config: getConfig,
    probe: (path) => probe(path, config),
    cpuWorkers: () => cpuWorkersFor(config),
  };
  scheduler = new Scheduler(ctx, (paused) => emit({ kind: 'queue_state', state: { paused } }));
  const manager = new TaskManager(ctx, scheduler);
  const sampler = new MetricsSampler(ctx, scheduler, emit, logger.child('metrics'));

  const setConfig = (patch: ConfigPatch): ServiceConfig => {
    const next = mergeConfig(config, validatePatch(patch));
    saveConfigFile(configPath, next);
    config = next;
    ctx.queue.setPriorityEnabled(next.queue.priorityEnabled);
    sampler.start();
    emit({ kind: 'config_changed', config: next });
    scheduler?.wake();
    return next;
  };

  manager.recover();
  const handle = createRequestHandler({ ctx, manager, scheduler, setConfig });
  sampler.start();
  scheduler.wake();
  logger.info('Service started', { dataDir, devices: devices.map((d) => d.id) });

  const service: OcrService = {
    dataDir,
    context: ctx,
    db,
    handle,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    attach: (transport) => serveTransport(service, transport),
    async close() {
      sampler.stop();
      await scheduler?.close();
      await pool.close();
      db.close();
      listeners.clear();
      logger.info('Service stopped', { dataDir });
    },
  };
  return service;
}
