/**
 * The store refusing writes while tasks run, without a disk to fill (tests/chaos fills a real
 * one where it may mount a tmpfs): a page write that fails with SQLite's own SQLITE_FULL error
 * (made by a database capped with max_page_count, thrown where the page's rows are written),
 * and a database that takes no write at all (PRAGMA query_only, SQLite refusing every write
 * with SQLITE_READONLY). The service stays up, tasks end with a storage code, and once the
 * store is back it holds what happened, intact and without duplicate pages.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import Database from 'better-sqlite3';
import type { ServiceEvent, Task } from '../../../shared/contract';
import { cpuDevice } from '../../../electron/service/devices/device-discovery';
import { makeScannedPdf } from '../../fixtures-gen/make-pdfs';
import { SIMPLE_PNG, tempDataDir } from './helpers/corpus';
import { startInProcess, type InProcessService } from './helpers/in-process';
import { until } from './helpers/until';

/** How long a task may take to settle here, in ms: the store's retries add to the run. */
const WAIT_MS = 60_000;

/** Whatever escaped the service's handlers while the store failed. */
const escaped: unknown[] = [];
const noteEscape = (error: unknown) => escaped.push(error);

let s: InProcessService | null = null;
let threePages = '';

before(async () => {
  process.on('unhandledRejection', noteEscape);
  process.on('uncaughtException', noteEscape);
  const dataDir = tempDataDir('ocr-desk-store-faults-');
  threePages = join(dataDir, 'three-pages.pdf');
  await makeScannedPdf([SIMPLE_PNG, SIMPLE_PNG, SIMPLE_PNG], threePages, 150);
  s = await startInProcess({
    dataDir,
    devices: [cpuDevice()],
    configOverrides: { retry: { initialDelayMs: 50 } },
  });
});

after(async () => {
  await s?.close();
  process.off('unhandledRejection', noteEscape);
  process.off('uncaughtException', noteEscape);
});

/** SQLite's error for a database that cannot grow, from a real (capped) database. */
function realDiskFullError(): Error {
  const db = new Database(':memory:');
  db.exec('CREATE TABLE t (x BLOB)');
  db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
  try {
    db.prepare('INSERT INTO t VALUES (zeroblob(100000))').run();
  } catch (error) {
    return error as Error;
  } finally {
    db.close();
  }
  throw new Error('the capped database took the write');
}

async function taskOf(id: string): Promise<Task> {
  const response = await s!.client.request('getTask', { taskId: id });
  assert.ok(response.ok, JSON.stringify(response));
  return response.value.task;
}

async function finalOf(id: string): Promise<Task> {
  await until(
    async () => ['completed', 'failed', 'cancelled'].includes((await taskOf(id)).status),
    WAIT_MS,
  );
  return taskOf(id);
}

function storedRow(id: string): { status: string; failure_reason: string | null } {
  return s!.service.db.prepare('SELECT status, failure_reason FROM tasks WHERE id = ?').get(id) as {
    status: string;
    failure_reason: string | null;
  };
}

function assertStoreIntact(): void {
  const db = s!.service.db;
  assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
  assert.deepEqual(db.pragma('foreign_key_check'), []);
  const duplicates = db
    .prepare(
      'SELECT task_id, page_index FROM result_pages GROUP BY task_id, page_index HAVING COUNT(*) > 1',
    )
    .all();
  assert.deepEqual(duplicates, []);
}

test('a page write that fails with SQLITE_FULL ends the task with storage_full; retried once space is back, it completes', async () => {
  const { service, client } = s!;
  const results = service.context.results;
  const savePage = results.savePage.bind(results);
  const diskFull = realDiskFullError();
  let full = false;
  // The first page goes in; then the disk is full for every page after it.
  results.savePage = (taskId, page) => {
    if (full) throw diskFull;
    savePage(taskId, page);
    full = true;
  };

  try {
    const submitted = await client.request('submit', { paths: [threePages] });
    assert.ok(submitted.ok, JSON.stringify(submitted));
    const id = submitted.value.tasks[0].id;
    const failed = await finalOf(id);
    assert.equal(failed.status, 'failed');
    assert.equal(failed.failureReason, 'storage_full');
    assert.match(
      failed.failureMessage ?? '',
      /^The disk that holds OCR Desk's data is full: free some space, then retry \(SQLITE_FULL: database or disk is full\)$/,
    );
    assert.equal(failed.attempts, 1, 'a full disk is not retried by itself');
    assert.equal(failed.pagesDone, 1, 'the refused page is not counted');
    assert.deepEqual(storedRow(id), { status: 'failed', failure_reason: 'storage_full' });
    const detail = await client.request('getTask', { taskId: id, includeResults: true });
    assert.ok(detail.ok);
    assert.deepEqual(
      detail.value.pages.map((p) => p.pageIndex),
      [0],
      'the page stored before the disk filled is kept',
    );
    const metrics = await client.request('getMetrics', {});
    assert.ok(metrics.ok, 'the service still answers');

    // Space is back: the user retries, and only the missing pages are read.
    results.savePage = savePage;
    const retried = await client.request('retry', { taskId: id });
    assert.ok(retried.ok, JSON.stringify(retried));
    const completed = await finalOf(id);
    assert.equal(completed.status, 'completed', completed.failureMessage ?? '');
    assert.equal(completed.pagesDone, 3);
    const pages = await client.request('getTask', { taskId: id, includeResults: true });
    assert.ok(pages.ok);
    assert.deepEqual(
      pages.value.pages.map((p) => p.pageIndex),
      [0, 1, 2],
    );
    assertStoreIntact();
    assert.deepEqual(escaped, []);
  } finally {
    results.savePage = savePage;
  }
});

test('a store that takes no write: tasks end with storage_unavailable, shown from memory and stored once it is back', async () => {
  const { service, client } = s!;
  const events: ServiceEvent[] = [];
  const stop = client.subscribe((event) => events.push(event));
  await client.request('pauseQueue', {});
  const submitted = await client.request('submit', { paths: [SIMPLE_PNG, SIMPLE_PNG] });
  assert.ok(submitted.ok, JSON.stringify(submitted));
  const [first, second] = submitted.value.tasks.map((t) => t.id);

  service.db.pragma('query_only = ON');
  try {
    // A request that must write is answered with the reason, and changes nothing.
    const cancel = await client.request('cancel', { taskId: second });
    assert.equal(!cancel.ok && cancel.error.code, 'storage_unavailable');
    assert.match(!cancel.ok ? cancel.error.message : '', /read-only: make it writable, then retry/);
    assert.equal((await taskOf(second)).status, 'queued');
    const refused = await client.request('submit', { paths: [SIMPLE_PNG] });
    assert.equal(!refused.ok && refused.error.code, 'storage_unavailable');

    // Each start is refused: the tasks are retried, then fail, though nothing can be stored.
    // The store is tried once an attempt (and at the scheduler's tries), not once an event: a
    // locked database would block the service for its busy timeout at each try.
    const { store, recorder } = service.context;
    const [transaction, flushHeld] = [store.transaction, recorder.flushHeld];
    let [tries, flushes] = [0, 0];
    store.transaction = <T>(work: () => T): T => {
      tries += 1;
      return transaction.call(store, work) as T;
    };
    recorder.flushHeld = () => {
      flushes += 1;
      return flushHeld.call(recorder);
    };
    try {
      await client.request('resumeQueue', {});
      for (const id of [first, second]) {
        const failed = await finalOf(id);
        assert.equal(failed.failureReason, 'storage_unavailable', id);
        assert.equal(failed.attempts, 3, id);
        assert.equal(storedRow(id).status, 'queued', 'the store holds the last state it took');
      }
    } finally {
      store.transaction = transaction;
      recorder.flushHeld = flushHeld;
    }
    assert.ok(
      tries <= 6 + flushes,
      `${tries} tries of the store for 6 attempts, ${flushes} flushes`,
    );
    const streamed = events.flatMap((e) =>
      e.kind === 'task_event' && e.event.taskId === first ? [e.event] : [],
    );
    const failedEvent = streamed.find((e) => e.type === 'failed');
    assert.ok(failedEvent && failedEvent.id < 0, 'the failure is streamed with a provisional id');
    assert.equal((await client.request('getMetrics', {})).ok, true, 'the service still answers');
  } finally {
    service.db.pragma('query_only = OFF');
  }

  // Writable again: the held changes are written at the scheduler's next try.
  await until(
    async () => storedRow(first).status === 'failed' && storedRow(second).status === 'failed',
    WAIT_MS,
  );
  assert.equal(storedRow(first).failure_reason, 'storage_unavailable');
  const stored = await client.request('getTaskEvents', { taskId: first });
  assert.ok(stored.ok);
  const types = stored.value.events.map((e) => e.type);
  assert.equal(types.filter((t) => t === 'started').length, 3);
  assert.equal(types.filter((t) => t === 'retried').length, 2);
  assert.equal(types.at(-1), 'failed');
  assert.ok(stored.value.events.every((e) => e.id > 0));

  const retried = await client.request('retry', { taskId: first });
  assert.ok(retried.ok, JSON.stringify(retried));
  assert.equal((await finalOf(first)).status, 'completed');
  stop();
  assertStoreIntact();
  assert.deepEqual(escaped, []);
});
