/**
 * Samples the service's state at a fixed rate (at least once a second) and streams it:
 * memory and pool use per device, running tasks per device, queue depth by priority and the
 * average queue wait.
 */
import type { DeviceMetrics, MetricsSnapshot, ServiceEvent } from '../../../shared/contract';
import type { Logger } from '../logger';
import type { ServiceContext } from '../tasks/service-context';
import type { Scheduler } from '../tasks/scheduler';

/** The average wait covers tasks started in this window, in ms. */
const AVERAGE_WAIT_WINDOW_MS = 10 * 60_000;
const MB = 1024 * 1024;

export function buildSnapshot(ctx: ServiceContext, scheduler: Scheduler): MetricsSnapshot {
  const nowMs = ctx.clock.now();
  const activeTasksByDevice: Record<string, number> = {};
  const devices: DeviceMetrics[] = ctx.monitor.devices.map((device) => {
    const { provider: _provider, ...info } = device;
    const activeTasks = scheduler.runningOn(device.id);
    activeTasksByDevice[device.id] = activeTasks;
    return {
      device: info,
      memory: ctx.monitor.memory(device.id),
      pool: ctx.pool.stats(device.id),
      activeTasks,
    };
  });

  const depthByPriority: Record<string, number> = {};
  for (const entry of ctx.queue.entries()) {
    const key = String(entry.priority);
    depthByPriority[key] = (depthByPriority[key] ?? 0) + 1;
  }
  return {
    atMs: nowMs,
    devices,
    queue: {
      depthByPriority,
      total: ctx.queue.size,
      paused: scheduler.queuePaused,
      averageWaitMs: ctx.store.averageWaitMs(nowMs - AVERAGE_WAIT_WINDOW_MS),
    },
    activeTasksByDevice,
    serviceRssMb: Math.round(process.memoryUsage.rss() / MB),
  };
}

export class MetricsSampler {
  private timer: NodeJS.Timeout | null = null;
  private sampling = false;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly scheduler: Scheduler,
    private readonly emit: (event: ServiceEvent) => void,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.stop();
    const intervalMs = Math.min(1000, this.ctx.config().metrics.sampleIntervalMs);
    // Real time on purpose: metrics describe the machine, whatever clock the queue runs on.
    this.timer = setInterval(() => void this.sample(), intervalMs);
    this.timer.unref();
    void this.sample();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  async sample(): Promise<MetricsSnapshot | null> {
    if (this.sampling) return null;
    this.sampling = true;
    try {
      await this.ctx.monitor.refresh();
      const snapshot = buildSnapshot(this.ctx, this.scheduler);
      this.emit({ kind: 'metrics', snapshot });
      return snapshot;
    } catch (error) {
      this.logger.warn('Metrics sample failed', { error });
      return null;
    } finally {
      this.sampling = false;
    }
  }
}
