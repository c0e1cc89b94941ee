// The task list's sorting and filtering, and the times shown in its columns.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Task } from '../../shared/contract';
import {
  orderTasks,
  processingTimeMs,
  progressRatio,
  waitTimeMs,
} from '../../renderer/store/task-order';
import type { TaskListView } from '../../renderer/store/task-store';

function task(id: string, fields: Partial<Task> = {}): Task {
  return {
    id,
    source: { path: `/docs/${id}.png`, name: `${id}.png`, format: 'png', sizeBytes: 100 },
    options: {},
    status: 'queued',
    priority: 0,
    originalPriority: 0,
    pagesDone: 0,
    pagesTotal: 1,
    createdAtMs: 1000,
    startedAtMs: null,
    finishedAtMs: null,
    updatedAtMs: 1000,
    notBeforeMs: null,
    attempts: 0,
    failureReason: null,
    failureMessage: null,
    estimatedMemoryMb: 100,
    actualMemoryMb: null,
    assignedDevice: 'cpu',
    serviceInstanceId: null,
    resourceCleanupCompleted: false,
    memoryReductionFactor: 1,
    warnings: [],
    ...fields,
    queuedAtMs: fields.queuedAtMs ?? fields.createdAtMs ?? 1000,
  };
}

const view = (patch: Partial<TaskListView>): TaskListView => ({
  sortKey: 'created',
  descending: false,
  status: 'all',
  search: '',
  ...patch,
});

describe('task order', () => {
  const tasks = [
    task('beta', { priority: 5, createdAtMs: 2000, status: 'running', startedAtMs: 2500 }),
    task('alpha', {
      priority: 1,
      createdAtMs: 1000,
      status: 'completed',
      startedAtMs: 1100,
      finishedAtMs: 1600,
    }),
    task('gamma', { priority: 5, createdAtMs: 3000, actualMemoryMb: 900 }),
    task('delta', { priority: -2, createdAtMs: 4000, status: 'failed' }),
  ];
  const ids = (list: Task[]) => list.map((t) => t.id);

  it('sorts by a column, ties by creation time', () => {
    assert.deepEqual(ids(orderTasks(tasks, view({ sortKey: 'name' }), 5000)), [
      'alpha',
      'beta',
      'delta',
      'gamma',
    ]);
    assert.deepEqual(
      ids(orderTasks(tasks, view({ sortKey: 'priority', descending: true }), 5000)),
      ['gamma', 'beta', 'alpha', 'delta'],
    );
    assert.deepEqual(
      ids(orderTasks(tasks, view({ sortKey: 'memory', descending: true }), 5000))[0],
      'gamma',
    );
    assert.deepEqual(ids(orderTasks(tasks, view({ sortKey: 'status' }), 5000)), [
      'beta',
      'gamma',
      'delta',
      'alpha',
    ]);
  });

  it('filters by status and by name', () => {
    assert.deepEqual(ids(orderTasks(tasks, view({ status: 'failed' }), 5000)), ['delta']);
    assert.deepEqual(ids(orderTasks(tasks, view({ status: 'active' }), 5000)), ['beta', 'gamma']);
    assert.deepEqual(ids(orderTasks(tasks, view({ search: 'ALP' }), 5000)), ['alpha']);
    assert.deepEqual(ids(orderTasks(tasks, view({ search: 'nothing' }), 5000)), []);
  });

  it('computes wait, processing time and progress', () => {
    const [running, done, queued] = tasks;
    assert.equal(waitTimeMs(queued, 5000), 2000);
    assert.equal(waitTimeMs(running, 5000), 500);
    assert.equal(processingTimeMs(running, 5000), 2500);
    assert.equal(processingTimeMs(done, 5000), 500);
    assert.equal(processingTimeMs(queued, 5000), null);
    assert.equal(progressRatio(done), 1);
    assert.equal(progressRatio(task('x', { pagesDone: 1, pagesTotal: 4 })), 0.25);
    assert.equal(progressRatio(task('y', { pagesTotal: null })), 0);
  });

  it('orders 10,000 tasks in well under a frame budget', () => {
    const many = Array.from({ length: 10_000 }, (_, i) =>
      task(`t${i}`, { priority: i % 7, createdAtMs: i }),
    );
    const started = performance.now();
    orderTasks(many, view({ sortKey: 'priority', descending: true }), 5000);
    assert.ok(performance.now() - started < 100, 'sorting 10,000 tasks took over 100 ms');
  });
});
