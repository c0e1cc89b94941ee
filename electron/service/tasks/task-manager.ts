/**
 * The user's side of tasks: submit (with the queue-size check), cancel, retry, priority,
 * pause and resume, and recovery of tasks left running by a service that died.
 */
import { resolve } from 'node:path';
import type {
  Channels,
  SubmitRejection,
  Task,
  TaskOptions,
  TaskWarning,
} from '../../../shared/contract';
import { OcrError } from '../../../shared/errors';
import { collectInputs } from '../inputs/collect-inputs';
import { publicTask, type StoredTask } from '../store/task-rows';
import type { Scheduler } from './scheduler';
import type { ServiceContext } from './service-context';
import { inspectSource, newTask } from './task-factory';
import type { EventEntry } from './task-recorder';

type SubmitResponse = Channels['submit']['response'];

export class TaskManager {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly scheduler: Scheduler,
  ) {}

  async submit(paths: string[], priority = 0, options: TaskOptions = {}): Promise<SubmitResponse> {
    const collected = await collectInputs(paths);
    const response: SubmitResponse = {
      tasks: [],
      rejected: [...collected.unreadableFolders],
      skipped: collected.skipped,
    };
    const files = [...collected.missing, ...collected.files.map((f) => f.path)];

    for (const path of files) {
      const rejection = this.refuseWhenFull(path);
      if (rejection) {
        response.rejected.push(rejection);
        continue;
      }
      response.tasks.push(await this.createTask(path, priority, options));
    }
    this.scheduler.wake();
    return response;
  }

  private refuseWhenFull(path: string): SubmitRejection | null {
    const { maxSize } = this.ctx.config().queue;
    const waiting = this.ctx.store.countWithStatus(['queued', 'paused']);
    if (waiting < maxSize) return null;
    return {
      path,
      error: {
        code: 'queue_full',
        message: `The queue is full (${maxSize} tasks waiting); try again later`,
      },
    };
  }

  /** A file that cannot be read still becomes a task, failed with the reason, so it shows in history. */
  private async createTask(path: string, priority: number, options: TaskOptions): Promise<Task> {
    const task = newTask(this.ctx, resolve(path), priority, options);
    const inspection = await inspectSource(this.ctx, task);
    task.updatedAtMs = this.ctx.clock.now();

    if (!inspection.ok) {
      task.estimatedMemoryMb = inspection.estimatedMemoryMb;
      task.status = 'failed';
      task.failureReason = inspection.error.code;
      task.failureMessage = inspection.error.message;
      task.finishedAtMs = task.updatedAtMs;
      task.resourceCleanupCompleted = true;
      this.ctx.recorder.create(task, [
        ['created', { path: task.source.path }],
        ['failed', { reason: inspection.error.code, message: inspection.error.message }],
      ]);
      return publicTask(task);
    }

    const { device, estimatedMemoryMb } = inspection.placement;
    task.assignedDevice = device.id;
    task.estimatedMemoryMb = estimatedMemoryMb;
    this.ctx.recorder.create(task, [
      [
        'created',
        {
          path: task.source.path,
          format: inspection.info.format,
          pages: inspection.info.pageCount,
          estimatedMemoryMb,
        },
      ],
    ]);
    this.scheduler.enqueue(task, null);
    return publicTask(task);
  }

  cancel(taskId: string): Task {
    const task = this.require(taskId);
    if (task.status === 'running') {
      this.scheduler.abortRunning(taskId, 'cancelled');
      return publicTask(this.require(taskId));
    }
    if (task.status !== 'queued' && task.status !== 'paused') {
      throw new OcrError('invalid_request', `The task is already ${task.status}`);
    }
    const message = 'Cancelled by the user';
    this.change(task, () => {
      task.status = 'cancelled';
      task.failureReason = 'cancelled';
      task.failureMessage = message;
      task.finishedAtMs = this.ctx.clock.now();
      task.resourceCleanupCompleted = true;
    }, ['cancelled', { reason: 'cancelled', message }]);
    this.ctx.queue.remove(taskId);
    this.scheduler.wake();
    return publicTask(task);
  }

  /** A failed or cancelled task starts over: attempts, priority and resolution reset. */
  retry(taskId: string): Task {
    const task = this.require(taskId);
    if (task.status !== 'failed' && task.status !== 'cancelled') {
      throw new OcrError(
        'invalid_request',
        `Only a failed or cancelled task can be retried (it is ${task.status})`,
      );
    }
    const queueSeq = this.ctx.store.nextQueueSeq();
    this.change(task, () => {
      task.attempts = 0;
      task.priority = task.originalPriority;
      task.memoryReductionFactor = 1;
      task.failureReason = null;
      task.failureMessage = null;
      task.finishedAtMs = null;
      task.queueSeq = queueSeq;
      if (
        !task.assignedDevice ||
        !this.ctx.monitor.usable().some((d) => d.id === task.assignedDevice)
      ) {
        task.assignedDevice = 'cpu';
      }
    }, ['retried', { manual: true }]);
    this.scheduler.enqueue(task, null);
    this.scheduler.wake();
    return publicTask(task);
  }

  setPriority(taskId: string, priority: number): Task {
    const task = this.require(taskId);
    const previous = task.priority;
    this.change(task, () => {
      task.priority = priority;
      task.originalPriority = priority;
    }, ['priority_changed', { from: previous, to: priority }]);
    this.ctx.queue.setPriority(taskId, priority);
    this.scheduler.wake();
    return publicTask(task);
  }

  pauseTask(taskId: string): Task {
    const task = this.require(taskId);
    if (task.status === 'running') {
      this.scheduler.abortRunning(taskId, 'paused');
      return publicTask(this.require(taskId));
    }
    if (task.status !== 'queued') {
      throw new OcrError(
        'invalid_request',
        `Only a queued or running task can be paused (it is ${task.status})`,
      );
    }
    this.change(task, () => {
      task.status = 'paused';
    }, ['paused', {}]);
    this.ctx.queue.remove(taskId);
    return publicTask(task);
  }

  resumeTask(taskId: string): Task {
    const task = this.require(taskId);
    if (task.status !== 'paused') {
      throw new OcrError('invalid_request', `The task is not paused (it is ${task.status})`);
    }
    this.ctx.recorder.record(task, ['resumed', {}]);
    this.scheduler.enqueue(task, null);
    this.scheduler.wake();
    return publicTask(task);
  }

  /**
   * At startup: tasks a dead service left running go back to the queue (their stored pages
   * are kept and not read again), unless they have used up their attempts, which suggests
   * they are what brought the service down.
   */
  recover(): void {
    const nowMs = this.ctx.clock.now();
    for (const task of this.ctx.store.withStatus(['running'])) {
      const previousInstanceId = task.serviceInstanceId;
      task.serviceInstanceId = null;
      if (task.attempts >= this.ctx.config().retry.maxAttempts) {
        task.status = 'failed';
        task.failureReason = 'internal';
        task.failureMessage = `The service stopped while reading this document ${task.attempts} times`;
        task.finishedAtMs = nowMs;
        task.resourceCleanupCompleted = true;
        this.ctx.recorder.recordOrHold(
          task,
          ['recovered', { previousInstanceId }],
          ['failed', { reason: 'internal', message: task.failureMessage }],
        );
        continue;
      }
      task.warnings.push(
        warning(
          'recovered_after_restart',
          'The service restarted while reading this document',
          nowMs,
        ),
      );
      this.ctx.recorder.recordOrHold(task, ['recovered', { previousInstanceId }]);
      this.scheduler.enqueue(task, null);
    }
    for (const task of this.ctx.store.withStatus(['queued'])) {
      if (!this.ctx.queue.get(task.id))
        this.scheduler.enqueue(task, task.notBeforeMs, { silent: true });
    }
  }

  /**
   * Applies a user's change to the task and records it; when the store refuses, the task is
   * put back as it was and the request fails with the storage error.
   */
  private change(task: StoredTask, apply: () => void, ...events: EventEntry[]): void {
    const before = structuredClone(task);
    apply();
    try {
      this.ctx.recorder.record(task, ...events);
    } catch (error) {
      Object.assign(task, before);
      throw error;
    }
  }

  /** The live record while the task runs (the scheduler holds it), else the stored one. */
  private require(taskId: string): StoredTask {
    const task = this.scheduler.liveTask(taskId) ?? this.ctx.store.get(taskId);
    if (!task) throw new OcrError('not_found', `No task with id ${taskId}`);
    return task;
  }
}

export function warning(
  code: TaskWarning['code'],
  message: string,
  atMs: number,
  pageIndex: number | null = null,
): TaskWarning {
  return { code, message, pageIndex, atMs };
}
