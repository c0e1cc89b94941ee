/**
 * Answers every request channel: validates the payload against the shared schemas, calls the
 * part of the service that owns it, and turns anything thrown into an error value.
 */
import type { Channel, Channels, Result, ServiceConfig } from '../../../shared/contract';
import { OcrError, toErrorInfo } from '../../../shared/errors';
import { parseRequest } from '../../../shared/schemas';
import { isStorageError } from '../../../shared/storage-errors';
import { renderPageImage } from '../server/page-image';
import { buildSnapshot } from '../metrics/metrics-sampler';
import { publicTask } from '../store/task-rows';
import type { Scheduler } from '../tasks/scheduler';
import type { ServiceContext } from '../tasks/service-context';
import type { TaskManager } from '../tasks/task-manager';
import { exportFormats, exportTasks } from './export-tasks';

type Handlers = {
  [C in Channel]: (
    request: Channels[C]['request'],
  ) => Promise<Channels[C]['response']> | Channels[C]['response'];
};

/** Largest side of a page image sent to the detail view by default, in px. */
const DEFAULT_PAGE_IMAGE_SIDE_PX = 1600;

export interface RequestHandlerDeps {
  ctx: ServiceContext;
  manager: TaskManager;
  scheduler: Scheduler;
  setConfig: (patch: Channels['setConfig']['request']['patch']) => ServiceConfig;
}

export function createRequestHandler(deps: RequestHandlerDeps) {
  const { ctx, manager, scheduler } = deps;

  const liveTask = (taskId: string) => {
    const task = scheduler.liveTask(taskId) ?? ctx.store.get(taskId);
    if (!task) throw new OcrError('not_found', `No task with id ${taskId}`);
    return task;
  };

  const handlers: Handlers = {
    submit: (r) => manager.submit(r.paths, r.priority, r.options),
    cancel: (r) => manager.cancel(r.taskId),
    retry: (r) => manager.retry(r.taskId),
    setPriority: (r) => manager.setPriority(r.taskId, r.priority),
    pauseTask: (r) => manager.pauseTask(r.taskId),
    resumeTask: (r) => manager.resumeTask(r.taskId),
    pauseQueue: () => {
      scheduler.pause();
      return { paused: true };
    },
    resumeQueue: () => {
      scheduler.resume();
      return { paused: false };
    },
    listTasks: (r) => {
      const { tasks, total } = ctx.store.list(r);
      return { tasks: tasks.map((t) => publicTask(scheduler.liveTask(t.id) ?? t)), total };
    },
    getTask: (r) => ({
      task: publicTask(liveTask(r.taskId)),
      pages: r.includeResults ? ctx.results.pages(r.taskId) : [],
      pageErrors: ctx.results.pageErrors(r.taskId),
    }),
    getTaskEvents: (r) => {
      liveTask(r.taskId);
      return { events: ctx.store.events(r.taskId, r.afterId, r.limit) };
    },
    getTaskHealth: (r) => {
      const task = liveTask(r.taskId);
      const samples = ctx.store.memorySamples(r.taskId);
      const running = task.status === 'running';
      const runningForMs =
        running && task.startedAtMs !== null ? ctx.clock.now() - task.startedAtMs : 0;
      return {
        taskId: task.id,
        status: task.status,
        memoryInUseMb: running ? (samples.at(-1)?.memoryMb ?? null) : null,
        peakMemoryMb: task.actualMemoryMb,
        processingTimeMs: task.processingMs + runningForMs,
        waitTimeMs: task.lastWaitMs,
        device: task.assignedDevice,
        warnings: task.warnings,
        memorySamples: samples,
      };
    },
    getMetrics: () => buildSnapshot(ctx, scheduler),
    getConfig: () => ctx.config(),
    setConfig: (r) => deps.setConfig(r.patch),
    export: (r) => exportTasks(ctx.store, ctx.results, r),
    listExportFormats: () => ({ formats: exportFormats() }),
    getPageImage: async (r) => {
      const task = liveTask(r.taskId);
      const page = ctx.results.pages(r.taskId).find((p) => p.pageIndex === r.pageIndex);
      if (!page) throw new OcrError('not_found', `Page ${r.pageIndex + 1} has no result yet`);
      return renderPageImage(task.source.path, r.pageIndex, page, {
        maxSidePx: r.maxSidePx ?? DEFAULT_PAGE_IMAGE_SIDE_PX,
        maxPixels: ctx.config().engine.maxPixels,
      });
    },
  };

  return async function handle(channel: string, payload: unknown): Promise<Result<unknown>> {
    // Own keys only: '__proto__' or 'toString' would otherwise reach Object.prototype.
    if (!Object.hasOwn(handlers, channel)) {
      return {
        ok: false,
        error: { code: 'invalid_request', message: `Unknown channel: ${channel}` },
      };
    }
    const parsed = parseRequest(channel as Channel, payload);
    if (!parsed.ok) {
      return {
        ok: false,
        error: {
          code: 'invalid_request',
          message: `Invalid ${channel} request: ${parsed.message}`,
        },
      };
    }
    try {
      const handler = handlers[channel as Channel] as (request: unknown) => unknown;
      return { ok: true, value: await handler(parsed.value) };
    } catch (error) {
      const info = toErrorInfo(error);
      if (info.code === 'internal') ctx.logger.error('Request failed', { channel, error });
      else if (isStorageError(error))
        ctx.logger.warn('Request refused by the store', { channel, error });
      return { ok: false, error: info };
    }
  };
}
