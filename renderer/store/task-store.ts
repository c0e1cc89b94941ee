/**
 * Every task the window knows, kept current from the service's events. Events are buffered and
 * applied once per animation frame, so a burst of hundreds of updates costs one render.
 */
import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';
import type { Task, TaskStatus } from '../../shared/contract';

export type SortKey =
  | 'name'
  | 'pages'
  | 'status'
  | 'progress'
  | 'priority'
  | 'device'
  | 'memory'
  | 'wait'
  | 'processing'
  | 'created';

export interface TaskListView {
  sortKey: SortKey;
  descending: boolean;
  status: TaskStatus | 'all' | 'active';
  search: string;
}

export interface TaskState {
  tasks: Map<string, Task>;
  /** Bumped on every change of `tasks`, so selectors can memoise on it. */
  version: number;
  view: TaskListView;
  activeTaskId: string | null;
  /** Tasks ticked for a bulk action (export, cancel, retry). */
  checkedIds: Set<string>;
}

export const taskStore = createStore<TaskState>(() => ({
  tasks: new Map(),
  version: 0,
  view: { sortKey: 'created', descending: true, status: 'all', search: '' },
  activeTaskId: null,
  checkedIds: new Set(),
}));

export function useTasks<T>(selector: (state: TaskState) => T): T {
  return useStore(taskStore, selector);
}

let pending: Task[] = [];
let flushScheduled = false;

function flush(): void {
  flushScheduled = false;
  if (pending.length === 0) return;
  const batch = pending;
  pending = [];
  taskStore.setState((state) => {
    const tasks = new Map(state.tasks);
    // Events may arrive out of order across a reconnect; keep the newest version of a task.
    for (const task of batch) {
      const known = tasks.get(task.id);
      if (!known || known.updatedAtMs <= task.updatedAtMs) tasks.set(task.id, task);
    }
    return { tasks, version: state.version + 1 };
  });
}

function scheduleFlush(): void {
  if (flushScheduled) return;
  flushScheduled = true;
  // A hidden page gets no animation frames; a timer keeps the list current there too.
  if (document.visibilityState === 'hidden') setTimeout(flush, 100);
  else requestAnimationFrame(flush);
}

/** Queues task versions to be applied on the next frame. */
export function upsertTasks(tasks: Task[]): void {
  pending.push(...tasks);
  scheduleFlush();
}

/** Applies task versions at once (initial load). */
export function replaceTasks(tasks: Task[]): void {
  const map = new Map<string, Task>();
  for (const task of tasks) map.set(task.id, task);
  taskStore.setState((state) => ({ tasks: map, version: state.version + 1 }));
}

export function setView(patch: Partial<TaskListView>): void {
  taskStore.setState((state) => ({ view: { ...state.view, ...patch } }));
}

export function setActiveTask(taskId: string | null): void {
  taskStore.setState({ activeTaskId: taskId });
}

export function toggleChecked(taskId: string): void {
  taskStore.setState((state) => {
    const checkedIds = new Set(state.checkedIds);
    if (checkedIds.has(taskId)) checkedIds.delete(taskId);
    else checkedIds.add(taskId);
    return { checkedIds };
  });
}

export function setChecked(taskIds: string[]): void {
  taskStore.setState({ checkedIds: new Set(taskIds) });
}
