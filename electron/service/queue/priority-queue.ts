/**
 * The waiting line of tasks: higher priority first, first-in first-out within a priority (or
 * plain FIFO when priorities are off). Pure and in memory; the store is its durable copy.
 * The interface is kept narrow so a shared queue (e.g. Redis-backed) could replace it.
 */
import type { DeviceId } from '../../../shared/contract';

export interface QueueEntry {
  taskId: string;
  priority: number;
  /** Order of entry; lower entered earlier. */
  seq: number;
  device: DeviceId;
  /** Not to be started before this time (backoff), epoch ms. */
  notBeforeMs: number | null;
  /** Start of the wait that the queue timeout measures, epoch ms. */
  waitSinceMs: number;
}

export interface TaskQueue {
  readonly size: number;
  add(entry: QueueEntry): void;
  remove(taskId: string): QueueEntry | null;
  get(taskId: string): QueueEntry | null;
  setPriority(taskId: string, priority: number): boolean;
  /** The entry that should run next on `device`, without removing it. */
  peek(device: DeviceId, nowMs: number): QueueEntry | null;
  /** Entries that have waited longer than `timeoutMs`. */
  expired(nowMs: number, timeoutMs: number): QueueEntry[];
  /** The earliest backoff end still in the future, for a wake-up timer. */
  nextWakeMs(nowMs: number): number | null;
  entries(): QueueEntry[];
  restartWaits(nowMs: number): void;
}

export class PriorityQueue implements TaskQueue {
  private readonly byId = new Map<string, QueueEntry>();
  private ordered: QueueEntry[] = [];

  constructor(private priorityEnabled = true) {}

  get size(): number {
    return this.ordered.length;
  }

  setPriorityEnabled(enabled: boolean): void {
    if (enabled === this.priorityEnabled) return;
    this.priorityEnabled = enabled;
    this.ordered.sort((a, b) => this.compare(a, b));
  }

  add(entry: QueueEntry): void {
    this.remove(entry.taskId);
    const stored = { ...entry };
    this.byId.set(entry.taskId, stored);
    const index = this.ordered.findIndex((other) => this.compare(stored, other) < 0);
    if (index === -1) this.ordered.push(stored);
    else this.ordered.splice(index, 0, stored);
  }

  remove(taskId: string): QueueEntry | null {
    const entry = this.byId.get(taskId);
    if (!entry) return null;
    this.byId.delete(taskId);
    this.ordered = this.ordered.filter((e) => e !== entry);
    return entry;
  }

  get(taskId: string): QueueEntry | null {
    const entry = this.byId.get(taskId);
    return entry ? { ...entry } : null;
  }

  setPriority(taskId: string, priority: number): boolean {
    const entry = this.byId.get(taskId);
    if (!entry) return false;
    this.add({ ...entry, priority });
    return true;
  }

  peek(device: DeviceId, nowMs: number): QueueEntry | null {
    const entry = this.ordered.find(
      (e) => e.device === device && (e.notBeforeMs === null || e.notBeforeMs <= nowMs),
    );
    return entry ? { ...entry } : null;
  }

  expired(nowMs: number, timeoutMs: number): QueueEntry[] {
    return this.ordered.filter((e) => nowMs - e.waitSinceMs > timeoutMs).map((e) => ({ ...e }));
  }

  nextWakeMs(nowMs: number): number | null {
    let earliest: number | null = null;
    for (const e of this.ordered) {
      if (e.notBeforeMs === null || e.notBeforeMs <= nowMs) continue;
      if (earliest === null || e.notBeforeMs < earliest) earliest = e.notBeforeMs;
    }
    return earliest;
  }

  entries(): QueueEntry[] {
    return this.ordered.map((e) => ({ ...e }));
  }

  /** Starts every wait afresh, e.g. when a paused queue resumes. */
  restartWaits(nowMs: number): void {
    for (const e of this.ordered) e.waitSinceMs = nowMs;
  }

  private compare(a: QueueEntry, b: QueueEntry): number {
    if (this.priorityEnabled && a.priority !== b.priority) return b.priority - a.priority;
    return a.seq - b.seq;
  }
}
