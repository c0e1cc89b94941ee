/** Sorting and filtering of the task list: pure functions of the tasks and the view. */
import type { Task } from '../../shared/contract';
import type { SortKey, TaskListView } from './task-store';

const STATUS_RANK: Record<Task['status'], number> = {
  running: 0,
  queued: 1,
  paused: 2,
  failed: 3,
  cancelled: 4,
  completed: 5,
};

export function waitTimeMs(task: Task, nowMs: number): number | null {
  if (task.queuedAtMs === null) return null;
  const end = task.startedAtMs ?? (task.status === 'queued' ? nowMs : task.finishedAtMs);
  return end === null ? null : Math.max(0, end - task.queuedAtMs);
}

export function processingTimeMs(task: Task, nowMs: number): number | null {
  if (task.startedAtMs === null) return null;
  const end = task.finishedAtMs ?? (task.status === 'running' ? nowMs : task.updatedAtMs);
  return Math.max(0, end - task.startedAtMs);
}

export function progressRatio(task: Task): number {
  if (task.status === 'completed') return 1;
  if (!task.pagesTotal) return 0;
  return Math.min(1, task.pagesDone / task.pagesTotal);
}

function sortValue(task: Task, key: SortKey, nowMs: number): number | string {
  switch (key) {
    case 'name':
      return task.source.name.toLowerCase();
    case 'pages':
      return task.pagesTotal ?? -1;
    case 'status':
      return STATUS_RANK[task.status];
    case 'progress':
      return progressRatio(task);
    case 'priority':
      return task.priority;
    case 'device':
      return task.assignedDevice ?? '';
    case 'memory':
      return task.actualMemoryMb ?? task.estimatedMemoryMb ?? -1;
    case 'wait':
      return waitTimeMs(task, nowMs) ?? -1;
    case 'processing':
      return processingTimeMs(task, nowMs) ?? -1;
    case 'created':
      return task.createdAtMs;
  }
}

function matches(task: Task, view: TaskListView, search: string): boolean {
  if (view.status === 'active' && task.status !== 'queued' && task.status !== 'running') {
    return false;
  }
  if (view.status !== 'all' && view.status !== 'active' && task.status !== view.status) {
    return false;
  }
  return search === '' || task.source.path.toLowerCase().includes(search);
}

/** The tasks to show, in order. Ties fall back to creation time so the order is stable. */
export function orderTasks(tasks: Iterable<Task>, view: TaskListView, nowMs: number): Task[] {
  const search = view.search.trim().toLowerCase();
  const rows: { task: Task; key: number | string }[] = [];
  for (const task of tasks) {
    if (matches(task, view, search)) rows.push({ task, key: sortValue(task, view.sortKey, nowMs) });
  }
  const direction = view.descending ? -1 : 1;
  rows.sort((a, b) => {
    if (a.key < b.key) return -direction;
    if (a.key > b.key) return direction;
    return (
      (a.task.createdAtMs - b.task.createdAtMs) * direction || (a.task.id < b.task.id ? -1 : 1)
    );
  });
  return rows.map((row) => row.task);
}
