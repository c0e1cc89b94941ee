/**
 * Starts queued tasks on free engine instances, device by device, and sees each attempt
 * through: acquire, run, clean up, then complete, retry (with backoff) or fail. Also fails
 * tasks that waited past the queue timeout, and stops running tasks on cancel or pause.
 *
 * A storage failure (disk full, read-only, locked) never escapes: an attempt whose start or
 * pages cannot be stored fails with the storage code, and what the store refuses afterwards is
 * held by the recorder and written again from here once the store takes writes.
 */
import { toErrorInfo, type ErrorInfo } from '../../../shared/errors';
import type { Device } from '../devices/device-discovery';
import type { PoolInstance } from '../pool/instance-pool';
import type { StoredTask } from '../store/task-rows';
import { decideAfterFailure } from './failure-policy';
import type { ServiceContext } from './service-context';
import { estimateOn } from './task-factory';
import { warning } from './task-manager';
import type { EventDetails, EventEntry } from './task-recorder';
import { runAttempt, type RunOutcome } from './task-runner';

/** How long a stopped attempt may take to let go of its instance before the instance is dropped. */
const ABORT_GRACE_MS = 500;
/**
 * Waits between tries to write held changes or to schedule after the store failed, in ms:
 * doubling, since each try against a locked database blocks for SQLite's busy timeout.
 */
const STORAGE_RETRY_MIN_MS = 1_000;
const STORAGE_RETRY_MAX_MS = 30_000;

export type AbortReason = 'cancelled' | 'paused' | 'shutdown';

interface Running {
  task: StoredTask;
  done: Promise<void> | null;
  controller: AbortController;
  reason: AbortReason | null;
}

export class Scheduler {
  private readonly running = new Map<string, Running>();
  private paused = false;
  private closing = false;
  private cancelWake: (() => void) | null = null;
  private pumpQueued = false;
  /** Set while the store fails: when to try again, and the wait after that, in ms. */
  private storageRetry: { atMs: number; delayMs: number } | null = null;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly onQueueState: (paused: boolean) => void,
  ) {}

  get queuePaused(): boolean {
    return this.paused;
  }

  /**
   * The live record of a running task (the store's copy may lag a page behind), or of a task
   * whose latest change the store has not taken yet.
   */
  liveTask(taskId: string): StoredTask | undefined {
    return this.running.get(taskId)?.task ?? this.ctx.recorder.heldTask(taskId);
  }

  runningOn(deviceId: string): number {
    return [...this.running.values()].filter((r) => r.task.assignedDevice === deviceId).length;
  }

  pause(): void {
    this.paused = true;
    this.onQueueState(true);
  }

  resume(): void {
    this.paused = false;
    // Time spent paused is the user's choice, not a wait the queue timeout should punish.
    this.ctx.queue.restartWaits(this.ctx.clock.now());
    this.onQueueState(false);
    this.wake();
  }

  /** Puts a task (back) in the queue, to start no earlier than `notBeforeMs`. */
  enqueue(task: StoredTask, notBeforeMs: number | null, options: { silent?: boolean } = {}): void {
    const nowMs = this.ctx.clock.now();
    task.status = 'queued';
    task.queuedAtMs = nowMs;
    task.notBeforeMs = notBeforeMs;
    task.assignedDevice ??= 'cpu';
    if (!options.silent)
      this.ctx.recorder.recordOrHold(task, [
        'queued',
        { priority: task.priority, device: task.assignedDevice, notBeforeMs },
      ]);
    this.ctx.queue.add({
      taskId: task.id,
      priority: task.priority,
      seq: task.queueSeq,
      device: task.assignedDevice,
      notBeforeMs,
      waitSinceMs: nowMs,
    });
  }

  /** Asks for a scheduling pass soon (coalesced). */
  wake(): void {
    if (this.pumpQueued || this.closing) return;
    this.pumpQueued = true;
    queueMicrotask(() => {
      this.pumpQueued = false;
      this.pump();
    });
  }

  /** Stops a running task; its instance is free within ABORT_GRACE_MS. */
  abortRunning(taskId: string, reason: AbortReason): void {
    const entry = this.running.get(taskId);
    if (!entry || entry.reason) return;
    entry.reason = reason;
    entry.controller.abort(new Error(`Task ${reason}`));
  }

  async close(): Promise<void> {
    this.closing = true;
    this.cancelWake?.();
    const pending = [...this.running.values()].map((r) => r.done);
    for (const id of this.running.keys()) this.abortRunning(id, 'shutdown');
    await Promise.all(pending);
    if (!this.ctx.recorder.flushHeld()) {
      // Their tasks restart from their stored state at the next start.
      this.ctx.logger.warn('Stopping with task changes the store did not take', {
        tasks: this.ctx.recorder.heldCount,
      });
    }
  }

  // KNOWN LIMITATION: with the database locked by another program, a pass that tries the held
  // changes and then a task's start blocks for two busy timeouts (10 s) before requests are read.
  private pump(): void {
    if (this.closing) return;
    let storageWorked = true;
    try {
      if (this.ctx.recorder.heldCount > 0 && this.storageRetryDue())
        storageWorked = this.ctx.recorder.flushHeld();
      this.failExpired();
      if (!this.paused) {
        for (const device of this.ctx.monitor.usable()) this.startOn(device);
      }
    } catch (error) {
      // A read of the store failed (a disk error, or a lock held past the busy timeout).
      this.ctx.logger.error('Scheduling pass failed; trying again', { error });
      storageWorked = false;
    }
    if (!storageWorked) this.backOffStorage();
    else if (this.ctx.recorder.heldCount === 0) this.storageRetry = null;
    this.scheduleWake();
  }

  private storageRetryDue(): boolean {
    return !this.storageRetry || this.ctx.clock.now() >= this.storageRetry.atMs;
  }

  private backOffStorage(): void {
    const delayMs = this.storageRetry
      ? Math.min(STORAGE_RETRY_MAX_MS, this.storageRetry.delayMs * 2)
      : STORAGE_RETRY_MIN_MS;
    this.storageRetry = { atMs: this.ctx.clock.now() + delayMs, delayMs };
  }

  private startOn(device: Device): void {
    for (;;) {
      if (!this.ctx.pool.hasCapacity(device.id)) return;
      const entry = this.ctx.queue.peek(device.id, this.ctx.clock.now());
      if (!entry) return;
      const task = this.taskById(entry.taskId);
      if (task && !this.fitsBesideRunning(task, device)) return;
      this.ctx.queue.remove(entry.taskId);
      if (!task || task.status !== 'queued') continue;
      const done = this.runTask(task, device).catch((error: unknown) => {
        // runTask handles what an attempt can meet; this is a bug, and must not stop the service.
        this.ctx.logger.error('Task attempt ended unexpectedly', { taskId: task.id, error });
        this.running.delete(task.id);
        this.wake();
      });
      const running = this.running.get(task.id);
      if (running) running.done = done;
    }
  }

  /**
   * Whether the task's estimate fits in the device's budget beside the tasks already running
   * there. A task alone on its device always starts: its estimate was checked at submission.
   */
  private fitsBesideRunning(task: StoredTask, device: Device): boolean {
    const beside = [...this.running.values()].filter((r) => r.task.assignedDevice === device.id);
    if (beside.length === 0) return true;
    const limitMb = this.ctx.monitor.limitMb(device.id);
    if (limitMb === null) return true;
    const reservedMb = beside.reduce((sum, r) => sum + (r.task.estimatedMemoryMb ?? 0), 0);
    return reservedMb + (task.estimatedMemoryMb ?? 0) <= limitMb;
  }

  /** A queued task as the scheduler knows it: a change the store has not taken is newer. */
  private taskById(taskId: string): StoredTask | null {
    return this.ctx.recorder.heldTask(taskId) ?? this.ctx.store.get(taskId);
  }

  /**
   * Wakes at the next backoff end, while tasks wait in time for the queue timeout, and while
   * the store fails for the next try.
   */
  private scheduleWake(): void {
    this.cancelWake?.();
    this.cancelWake = null;
    const nowMs = this.ctx.clock.now();
    const candidates: number[] = [];
    const backoffEnd = this.ctx.queue.nextWakeMs(nowMs);
    if (backoffEnd !== null) candidates.push(backoffEnd - nowMs);
    if (this.storageRetry) candidates.push(this.storageRetry.atMs - nowMs);
    else if (this.ctx.recorder.heldCount > 0) candidates.push(STORAGE_RETRY_MIN_MS);
    if (this.ctx.queue.size > 0 && !this.paused) {
      const timeoutMs = this.ctx.config().queue.timeoutMs;
      const oldest = Math.min(...this.ctx.queue.entries().map((e) => e.waitSinceMs));
      candidates.push(oldest + timeoutMs + 1 - nowMs);
    }
    if (candidates.length === 0) return;
    this.cancelWake = this.ctx.clock.setTimer(Math.max(0, Math.min(...candidates)), () =>
      this.wake(),
    );
  }

  private failExpired(): void {
    if (this.paused) return;
    const { timeoutMs } = this.ctx.config().queue;
    for (const entry of this.ctx.queue.expired(this.ctx.clock.now(), timeoutMs)) {
      const task = this.taskById(entry.taskId);
      this.ctx.queue.remove(entry.taskId);
      if (!task) continue;
      const message = `The task waited more than ${Math.round(timeoutMs / 1000)} s in the queue`;
      // It never held anything to release.
      task.resourceCleanupCompleted = true;
      this.finish(task, 'failed', { code: 'timeout', message });
    }
  }

  private async runTask(task: StoredTask, device: Device): Promise<void> {
    const entry: Running = { task, done: null, controller: new AbortController(), reason: null };
    this.running.set(task.id, entry);
    const startedMs = this.ctx.clock.now();
    task.status = 'running';
    task.attempts += 1;
    task.startedAtMs = startedMs;
    task.lastWaitMs = task.queuedAtMs === null ? null : startedMs - task.queuedAtMs;
    task.notBeforeMs = null;
    task.resourceCleanupCompleted = false;
    task.assignedDevice = device.id;

    let instance: PoolInstance | null = null;
    let outcome: RunOutcome;
    let peakMemoryMb: number | null = null;
    let abandoned = false;
    try {
      const started: EventEntry = ['started', { attempt: task.attempts, device: device.id }];
      try {
        // Always tried, as the gate of the attempt: a start the store refuses fails it before
        // it loads an engine, since its pages could not be stored either.
        this.ctx.recorder.record(task, started);
      } catch (error) {
        this.ctx.recorder.recordOrHold(task, started);
        throw error;
      }
      instance = await this.ctx.pool.acquire(device, this.ctx.config().pool.acquireTimeoutMs);
      task.serviceInstanceId = instance.id;
      this.ctx.recorder.recordOrHold(task, [
        'resource_acquired',
        { device: device.id, instanceId: instance.id },
      ]);
      const handle = runAttempt(this.ctx, task, instance, entry.controller.signal);
      const settled = await this.settleOrAbandon(handle.outcome, entry, instance);
      outcome = settled.outcome;
      abandoned = settled.abandoned;
      peakMemoryMb = handle.peakMemoryMb();
    } catch (error) {
      outcome = { kind: 'failed', error: toErrorInfo(error) };
    }

    task.processingMs += this.ctx.clock.now() - startedMs;
    if (peakMemoryMb !== null)
      task.actualMemoryMb = Math.max(task.actualMemoryMb ?? 0, peakMemoryMb);
    await this.cleanUp(task, abandoned ? null : instance, outcome);
    this.running.delete(task.id);
    this.settle(task, outcome, entry.reason);
    this.wake();
  }

  /**
   * Waits for the attempt; once it has been told to stop, waits at most ABORT_GRACE_MS and
   * then drops the instance so that it is free regardless of the engine.
   */
  private settleOrAbandon(
    outcome: Promise<RunOutcome>,
    entry: Running,
    instance: PoolInstance,
  ): Promise<{ outcome: RunOutcome; abandoned: boolean }> {
    return new Promise((resolve) => {
      let done = false;
      const finish = (value: RunOutcome, abandoned: boolean) => {
        if (done) return;
        done = true;
        resolve({ outcome: value, abandoned });
      };
      outcome.then((value) => finish(value, false));
      const startGrace = () => {
        setTimeout(() => {
          if (done) return;
          this.ctx.logger.warn('Dropping an instance that did not stop in time', {
            taskId: entry.task.id,
            instanceId: instance.id,
          });
          this.ctx.pool.discard(instance, outcome);
          this.ctx.recorder.recordOrHold(entry.task, [
            'resource_released',
            { device: instance.device.id, instanceId: instance.id, discarded: true },
          ]);
          finish({ kind: 'aborted' }, true);
        }, ABORT_GRACE_MS).unref();
      };
      // Told to stop while the instance was still loading: the grace period starts now.
      if (entry.controller.signal.aborted) startGrace();
      else entry.controller.signal.addEventListener('abort', startGrace);
    });
  }

  /** Releases what the attempt held; an instance dropped on abort was released already. */
  private async cleanUp(
    task: StoredTask,
    instance: PoolInstance | null,
    outcome: RunOutcome,
  ): Promise<void> {
    const startedMs = Date.now();
    this.ctx.recorder.recordOrHold(task, ['cleanup_started', {}]);
    let closing: Promise<void> = Promise.resolve();
    if (instance) {
      // After an out-of-memory error the instance's arenas may be in a bad state: replace it.
      if (outcome.kind === 'failed' && outcome.error.code === 'out_of_memory') {
        closing = this.ctx.pool.discard(instance);
      } else {
        this.ctx.pool.release(instance);
      }
      this.ctx.recorder.recordOrHold(task, [
        'resource_released',
        { device: instance.device.id, instanceId: instance.id },
      ]);
    }
    const timeoutMs = this.ctx.config().cleanupTimeoutMs;
    const timedOut = await Promise.race([
      closing.then(() => false),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(true), timeoutMs).unref()),
    ]);
    if (timedOut) {
      this.ctx.logger.warn('Cleanup did not finish in time', { taskId: task.id, timeoutMs });
    }
    task.resourceCleanupCompleted = !timedOut;
    this.ctx.recorder.recordOrHold(task, [
      'cleanup_completed',
      { durationMs: Date.now() - startedMs, timedOut },
    ]);
  }

  private settle(task: StoredTask, outcome: RunOutcome, reason: AbortReason | null): void {
    if (outcome.kind === 'completed') return this.finish(task, 'completed', null);
    if (outcome.kind === 'aborted' || reason) return this.settleAborted(task, reason ?? 'shutdown');

    const { error } = outcome;
    this.ctx.logger.warn('Attempt failed', {
      taskId: task.id,
      device: task.assignedDevice,
      error,
      memory: this.ctx.monitor.memory(task.assignedDevice ?? 'cpu'),
    });
    const decision = decideAfterFailure({
      error,
      attempts: task.attempts,
      priority: task.priority,
      device: task.assignedDevice ?? 'cpu',
      memoryReductionFactor: task.memoryReductionFactor,
      cpuAvailable: this.ctx.monitor.usable().some((d) => d.id === 'cpu'),
      retry: this.ctx.config().retry,
    });
    if (decision.action === 'fail') return this.finish(task, 'failed', error);

    const nowMs = this.ctx.clock.now();
    const from = task.assignedDevice;
    task.priority = decision.priority;
    task.memoryReductionFactor = decision.memoryReductionFactor;
    task.assignedDevice = decision.device;
    task.failureReason = error.code;
    task.failureMessage = error.message;
    task.warnings.push(
      warning(
        'retried',
        `Attempt ${task.attempts} failed (${error.code}); retrying in ${decision.delayMs} ms`,
        nowMs,
      ),
    );
    const events: EventEntry[] = [];
    if (decision.fellBackToCpu) {
      task.warnings.push(
        warning('fell_back_to_cpu', `Moved from ${from} to the CPU after ${error.code}`, nowMs),
      );
      const cpu = this.ctx.monitor.device('cpu');
      if (cpu)
        task.estimatedMemoryMb = estimateOn(
          this.ctx,
          cpu,
          pageInfoOf(task),
          task.memoryReductionFactor,
        );
      events.push(['fell_back', { from, to: decision.device, reason: error.code }]);
    }
    events.push([
      'retried',
      {
        reason: error.code,
        message: error.message,
        attempt: task.attempts,
        delayMs: decision.delayMs,
        priority: decision.priority,
        memoryReductionFactor: decision.memoryReductionFactor,
        device: decision.device,
      },
    ]);
    this.ctx.recorder.recordOrHold(task, ...events);
    this.enqueue(task, nowMs + decision.delayMs);
  }

  private settleAborted(task: StoredTask, reason: AbortReason): void {
    if (reason === 'cancelled') {
      return this.finish(task, 'cancelled', {
        code: 'cancelled',
        message: 'Cancelled by the user',
      });
    }
    if (reason === 'paused') {
      task.status = 'paused';
      this.ctx.recorder.recordOrHold(task, ['paused', { whileRunning: true }]);
      return;
    }
    // Shutdown: leave the task 'running' in the store; recovery re-queues it at the next start.
  }

  private finish(
    task: StoredTask,
    status: 'completed' | 'failed' | 'cancelled',
    error: ErrorInfo | null,
  ): void {
    task.status = status;
    task.finishedAtMs = this.ctx.clock.now();
    task.failureReason = error?.code ?? null;
    task.failureMessage = error?.message ?? null;
    const details: EventDetails = error
      ? { reason: error.code, message: error.message }
      : { pages: task.pagesDone, actualMemoryMb: task.actualMemoryMb };
    this.ctx.recorder.recordOrHold(task, [status, details]);
  }
}

function pageInfoOf(task: StoredTask): { widthPx: number; heightPx: number; pageCount: number } {
  return {
    widthPx: task.pageWidthPx ?? 0,
    heightPx: task.pageHeightPx ?? 0,
    pageCount: task.pagesTotal ?? 1,
  };
}
