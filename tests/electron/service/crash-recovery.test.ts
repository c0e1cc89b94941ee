/**
 * kill -9 the service in the middle of a 30-task batch, start it again: every task ends
 * completed exactly once, no result row is stored twice, and the database is intact.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, test } from 'node:test';
import Database from 'better-sqlite3';
import type { ServiceEvent } from '../../../shared/contract';
import { COSMIC_PNG, SIMPLE_PNG, TESTOCR_PNG, tempDataDir } from './helpers/corpus';
import { startServiceProcess, waitForFinal, type ServiceProcess } from './helpers/service-process';

const running: ServiceProcess[] = [];
after(async () => {
  for (const service of running) await service.stop();
});

test('30 tasks survive a kill -9 mid-batch, each completed exactly once', async () => {
  const dataDir = tempDataDir();
  const first = await startServiceProcess(dataDir);
  running.push(first);

  const paths = Array.from({ length: 30 }, (_, i) => [SIMPLE_PNG, COSMIC_PNG, TESTOCR_PNG][i % 3]);
  const submitted = await first.client.request('submit', { paths });
  assert.ok(submitted.ok, JSON.stringify(submitted));
  const ids = submitted.value.tasks.map((t) => t.id);
  assert.equal(ids.length, 30);

  // Kill the process just after the longest of the three images has started, once a few
  // tasks have completed, so that the kill lands in the middle of a task.
  const slow = new Set(
    submitted.value.tasks.filter((t) => t.source.path === TESTOCR_PNG).map((t) => t.id),
  );
  const victim = await new Promise<string>((resolve) => {
    let completed = 0;
    first.client.subscribe((event: ServiceEvent) => {
      if (event.kind !== 'task_event') return;
      if (event.event.type === 'completed') completed += 1;
      if (completed < 5 || event.event.type !== 'resource_acquired') return;
      if (slow.has(event.event.taskId)) resolve(event.event.taskId);
    });
  });
  first.child.kill('SIGKILL');
  await new Promise((r) => first.child.once('exit', r));

  const second = await startServiceProcess(dataDir);
  running.push(second);
  const finished = await waitForFinal(second.client, ids, 180_000);
  assert.deepEqual(
    [...finished.values()].map((t) => t.status),
    Array(30).fill('completed'),
  );

  const victimEvents = await second.client.request('getTaskEvents', { taskId: victim });
  assert.ok(victimEvents.ok);
  assert.ok(
    victimEvents.value.events.some((e) => e.type === 'recovered'),
    'the task that was running when the service died was recovered',
  );
  for (const id of ids) {
    const events = await second.client.request('getTaskEvents', { taskId: id });
    assert.ok(events.ok);
    assert.equal(events.value.events.filter((e) => e.type === 'completed').length, 1, id);
  }
  await second.stop();

  const db = new Database(join(dataDir, 'ocr-desk.sqlite'), { readonly: true });
  try {
    assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
    const duplicates = db
      .prepare(
        'SELECT task_id, page_index, COUNT(*) AS n FROM result_pages GROUP BY task_id, page_index HAVING n > 1',
      )
      .all();
    assert.deepEqual(duplicates, []);
    const pages = db.prepare('SELECT COUNT(*) AS n FROM result_pages').get() as { n: number };
    assert.equal(pages.n, 30, 'one page row per single-page task');
    const orphans = db
      .prepare(
        'SELECT COUNT(*) AS n FROM result_lines l LEFT JOIN result_blocks b ON b.id = l.block_id WHERE b.id IS NULL',
      )
      .get() as { n: number };
    assert.equal(orphans.n, 0);
  } finally {
    db.close();
  }
});
