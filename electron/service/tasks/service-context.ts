/** What the task manager, scheduler and runner share. */
import type { ServiceConfig } from '../../../shared/contract';
import type { DocumentInfo } from '../../../shared/domain';
import type { Clock } from '../clock';
import type { DeviceMonitor } from '../devices/device-monitor';
import type { Logger } from '../logger';
import type { InstancePool } from '../pool/instance-pool';
import type { PriorityQueue } from '../queue/priority-queue';
import type { ResultStore } from '../store/result-store';
import type { TaskStore } from '../store/task-store';
import type { TaskRecorder } from './task-recorder';

export interface ServiceContext {
  store: TaskStore;
  results: ResultStore;
  recorder: TaskRecorder;
  queue: PriorityQueue;
  pool: InstancePool;
  monitor: DeviceMonitor;
  clock: Clock;
  logger: Logger;
  config: () => ServiceConfig;
  /** Reads a document's header without decoding it. */
  probe: (path: string) => Promise<DocumentInfo>;
  /** Engine worker threads of one CPU instance (pages it reads at once). */
  cpuWorkers: () => number;
}
