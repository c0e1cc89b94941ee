import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PriorityQueue, type QueueEntry } from '../../../electron/service/queue/priority-queue';

function entry(
  taskId: string,
  priority: number,
  seq: number,
  extra: Partial<QueueEntry> = {},
): QueueEntry {
  return { taskId, priority, seq, device: 'cpu', notBeforeMs: null, waitSinceMs: 0, ...extra };
}

function drain(queue: PriorityQueue, nowMs = 0): string[] {
  const order: string[] = [];
  for (let next = queue.peek('cpu', nowMs); next; next = queue.peek('cpu', nowMs)) {
    order.push(next.taskId);
    queue.remove(next.taskId);
  }
  return order;
}

test('higher priority first, first-in first-out within a priority', () => {
  const queue = new PriorityQueue();
  queue.add(entry('a', 0, 1));
  queue.add(entry('b', 5, 2));
  queue.add(entry('c', 0, 3));
  queue.add(entry('d', 5, 4));
  queue.add(entry('e', -1, 5));
  assert.deepEqual(drain(queue), ['b', 'd', 'a', 'c', 'e']);
});

test('plain FIFO when priorities are off, and back', () => {
  const queue = new PriorityQueue(false);
  queue.add(entry('a', 0, 1));
  queue.add(entry('b', 9, 2));
  assert.equal(queue.peek('cpu', 0)?.taskId, 'a');
  queue.setPriorityEnabled(true);
  assert.equal(queue.peek('cpu', 0)?.taskId, 'b');
});

test('next(device) only returns that device’s tasks whose backoff has passed', () => {
  const queue = new PriorityQueue();
  queue.add(entry('gpu-task', 9, 1, { device: 'cuda:0' }));
  queue.add(entry('later', 5, 2, { notBeforeMs: 1000 }));
  queue.add(entry('now', 0, 3));
  assert.equal(queue.peek('cpu', 0)?.taskId, 'now');
  assert.equal(queue.peek('cpu', 1000)?.taskId, 'later');
  assert.equal(queue.peek('cuda:0', 0)?.taskId, 'gpu-task');
  assert.equal(queue.nextWakeMs(0), 1000);
  assert.equal(queue.nextWakeMs(1000), null);
});

test('priority changes reorder; expired entries are found; waits restart', () => {
  const queue = new PriorityQueue();
  queue.add(entry('a', 0, 1, { waitSinceMs: 0 }));
  queue.add(entry('b', 0, 2, { waitSinceMs: 500 }));
  assert.ok(queue.setPriority('b', 3));
  assert.equal(queue.setPriority('missing', 3), false);
  assert.equal(queue.peek('cpu', 0)?.taskId, 'b');
  assert.deepEqual(
    queue.expired(1200, 1000).map((e) => e.taskId),
    ['a'],
  );
  queue.restartWaits(1200);
  assert.deepEqual(queue.expired(1200, 1000), []);
  assert.equal(queue.size, 2);
  assert.equal(queue.remove('a')?.taskId, 'a');
  assert.equal(queue.size, 1);
});
