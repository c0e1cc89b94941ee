import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { openDatabase } from '../../../electron/service/store/database';
import { TASK_COLUMNS } from '../../../electron/service/store/task-rows';
import { tempDataDir } from './helpers/corpus';

test('the task row columns are exactly the columns of the migrated tasks table', () => {
  const dir = tempDataDir('ocr-desk-task-rows-');
  const db = openDatabase(join(dir, 'tasks.db'));
  try {
    const schema = db.prepare('PRAGMA table_info(tasks)').all() as { name: string }[];
    // A column the mapping leaves out would silently keep its default on every save.
    assert.deepEqual([...TASK_COLUMNS].sort(), schema.map((c) => c.name).sort());
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
