/**
 * Every change of a task goes through here: the task row and its event are written in one
 * transaction, then the event is streamed to subscribers with the task as it now is.
 *
 * The scheduler's changes cannot be refused the way a request can: a task that failed has
 * failed, whether or not the disk takes the row. When the storage fails (full, read-only,
 * locked), `recordOrHold` keeps the change in memory, streams it with provisional (negative)
 * event ids, and writes it with the task's next successful write or at `flushHeld`. A service
 * that stops first loses only the held changes: the task is recovered from its stored state.
 * Until a write succeeds again, `recordOrHold` holds without trying the store: each try
 * against a locked database blocks the service for SQLite's busy timeout.
 */
import type { JsonValue, ServiceEvent, TaskEvent, TaskEventType } from '../../../shared/contract';
import { isStorageError } from '../../../shared/storage-errors';
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import type { TaskStore } from '../store/task-store';
import { publicTask, type StoredTask } from '../store/task-rows';

export type EventDetails = { [key: string]: JsonValue };
export type EventEntry = [TaskEventType, EventDetails?];

interface HeldChange {
  /** The live task: the row written at flush is its state then, not at the failure. */
  task: StoredTask;
  events: Omit<TaskEvent, 'id' | 'taskId'>[];
}

export class TaskRecorder {
  private readonly held = new Map<string, HeldChange>();
  private lastProvisionalId = 0;
  /** The store's latest refusal, while no write has succeeded since; null when it works. */
  private refusal: unknown = null;

  constructor(
    private readonly store: TaskStore,
    private readonly clock: Clock,
    private readonly emit: (event: ServiceEvent) => void,
    private readonly logger: Logger,
  ) {}

  /** Inserts a new task with its first events. */
  create(task: StoredTask, events: EventEntry[]): TaskEvent[] {
    const written = this.write(() => {
      this.store.insert(task);
      return events.map(([type, details]) =>
        this.store.appendEvent(task.id, type, task.updatedAtMs, details ?? {}),
      );
    });
    this.publish(task, written);
    return written;
  }

  /** Saves the task and records one or more events about it, atomically; throws if it cannot. */
  record(task: StoredTask, ...events: EventEntry[]): TaskEvent[] {
    return this.recordWith(task, () => undefined, ...events);
  }

  /**
   * Like `record`, running `alsoWrite` (e.g. a page result) in the same transaction. Changes
   * held for the task are written first, in the same transaction.
   */
  recordWith(task: StoredTask, alsoWrite: () => void, ...events: EventEntry[]): TaskEvent[] {
    task.updatedAtMs = this.clock.now();
    const earlier = this.held.get(task.id)?.events ?? [];
    const entries = [
      ...earlier,
      ...events.map(([type, details]) => this.entry(task, type, details)),
    ];
    const written = this.write(() => {
      alsoWrite();
      this.store.save(task);
      return entries.map((e) => this.store.appendEvent(task.id, e.type, e.atMs, e.details));
    });
    this.held.delete(task.id);
    // The held events were streamed when they happened.
    const fresh = written.slice(earlier.length);
    this.publish(task, fresh);
    return fresh;
  }

  /**
   * Records a change already made, for the service's own paths (the scheduler, recovery):
   * when the write fails, the change is held in memory and streamed anyway. Returns the error
   * that kept it from the store, or null when it was written. Never throws.
   */
  recordOrHold(task: StoredTask, ...events: EventEntry[]): unknown {
    if (this.refusal !== null) {
      this.hold(task, events, this.refusal);
      return this.refusal;
    }
    try {
      this.record(task, ...events);
      return null;
    } catch (error) {
      this.hold(task, events, error);
      return error;
    }
  }

  /** The task as changed in memory when its latest change is not stored yet. */
  heldTask(taskId: string): StoredTask | undefined {
    return this.held.get(taskId)?.task;
  }

  get heldCount(): number {
    return this.held.size;
  }

  /** Writes the held changes, oldest first, until one fails. Returns whether none is left. */
  flushHeld(): boolean {
    for (const change of [...this.held.values()]) {
      try {
        this.record(change.task);
      } catch (error) {
        this.logger.debug('Held task changes still cannot be written', {
          taskId: change.task.id,
          error,
        });
        return false;
      }
      this.logger.info('Held task changes written', { taskId: change.task.id });
    }
    return true;
  }

  /** One transaction; notes whether the store refused it or works again. */
  private write<T>(work: () => T): T {
    try {
      const result = this.store.transaction(work);
      this.refusal = null;
      return result;
    } catch (error) {
      if (isStorageError(error)) this.refusal = error;
      throw error;
    }
  }

  private hold(task: StoredTask, events: EventEntry[], error: unknown): void {
    const change = this.held.get(task.id) ?? { task, events: [] };
    const entries = events.map(([type, details]) => this.entry(task, type, details));
    change.task = task;
    change.events.push(...entries);
    this.held.set(task.id, change);
    this.logger.warn('Task change kept in memory: the store refused it', {
      taskId: task.id,
      events: entries.map((e) => e.type),
      error,
    });
    const provisional = entries.map((e) => ({
      id: (this.lastProvisionalId -= 1),
      taskId: task.id,
      ...e,
    }));
    this.publish(task, provisional);
  }

  private entry(task: StoredTask, type: TaskEventType, details: EventDetails = {}) {
    return { type, atMs: task.updatedAtMs, details };
  }

  private publish(task: StoredTask, events: TaskEvent[]): void {
    const snapshot = publicTask(task);
    for (const event of events) this.emit({ kind: 'task_event', event, task: snapshot });
  }
}
