/**
 * Every change of a task goes through here: the task row and its event are written in one
 * transaction, then the event is streamed to subscribers with the task as it now is.
 */
import type { JsonValue, ServiceEvent, TaskEvent, TaskEventType } from '../../../shared/contract';
import type { Clock } from '../clock';
import type { TaskStore } from '../store/task-store';
import { publicTask, type StoredTask } from '../store/task-rows';

export type EventDetails = { [key: string]: JsonValue };
export type EventEntry = [TaskEventType, EventDetails?];

export class TaskRecorder {
  constructor(
    private readonly store: TaskStore,
    private readonly clock: Clock,
    private readonly emit: (event: ServiceEvent) => void,
  ) {}

  /** Inserts a new task with its first events. */
  create(task: StoredTask, events: EventEntry[]): TaskEvent[] {
    const written = this.store.transaction(() => {
      this.store.insert(task);
      return events.map(([type, details]) =>
        this.store.appendEvent(task.id, type, task.updatedAtMs, details ?? {}),
      );
    });
    this.publish(task, written);
    return written;
  }

  /** Saves the task and records one or more events about it, atomically. */
  record(task: StoredTask, ...events: EventEntry[]): TaskEvent[] {
    return this.recordWith(task, () => undefined, ...events);
  }

  /** Like `record`, running `alsoWrite` (e.g. a page result) in the same transaction. */
  recordWith(task: StoredTask, alsoWrite: () => void, ...events: EventEntry[]): TaskEvent[] {
    task.updatedAtMs = this.clock.now();
    const written = this.store.transaction(() => {
      alsoWrite();
      this.store.save(task);
      return events.map(([type, details]) =>
        this.store.appendEvent(task.id, type, task.updatedAtMs, details ?? {}),
      );
    });
    this.publish(task, written);
    return written;
  }

  private publish(task: StoredTask, events: TaskEvent[]): void {
    const snapshot = publicTask(task);
    for (const event of events) this.emit({ kind: 'task_event', event, task: snapshot });
  }
}
