/**
 * The short crash chaos: 30 small pages, the service killed with SIGKILL 6 times at random
 * moments; every task ends exactly once, no page is stored twice, the database is intact.
 * `npm run chaos` runs 100 tasks and 20 kills, and the storage faults.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { test } from 'node:test';
import { tempDataDir } from '../electron/service/helpers/corpus';
import { runCrashChaos } from './crash-chaos';

test('30 tasks through 6 random kill -9s: each ends once, nothing duplicated, database intact', async () => {
  const dataDir = tempDataDir('ocr-desk-chaos-');
  try {
    const report = await runCrashChaos({
      dataDir,
      taskCount: 30,
      killCount: 6,
      seed: 7,
      maxLifeMs: 2_500,
      finishTimeoutMs: 240_000,
    });
    assert.deepEqual(report.finalEventProblems, []);
    assert.deepEqual(report.unexpectedFailures, []);
    assert.equal((report.statuses.completed ?? 0) + (report.statuses.failed ?? 0), 30);
    assert.equal(report.duplicatePageRows, 0);
    assert.equal(report.pageRows, report.completedPages, 'one page row per completed task');
    assert.equal(report.orphanLines, 0);
    assert.equal(report.integrityCheck, 'ok');
    assert.equal(report.foreignKeyProblems, 0);
    assert.deepEqual(report.strayFiles, []);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
