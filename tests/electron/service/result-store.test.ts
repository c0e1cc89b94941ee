import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import type { PageResult } from '../../../shared/domain';
import { openDatabase, schemaVersion } from '../../../electron/service/store/database';
import { MIGRATIONS } from '../../../electron/service/store/migrations';
import { ResultStore } from '../../../electron/service/store/result-store';
import { tempDataDir } from './helpers/corpus';

function page(pageIndex: number, text: string): PageResult {
  const line = {
    text,
    confidence: 0.9,
    polygon: [
      [1, 2],
      [30, 2],
      [30, 12],
      [1, 12],
    ] as [number, number][],
    box: { x: 1, y: 2, width: 29, height: 10 },
    words: [{ text, confidence: 0.9, box: { x: 1, y: 2, width: 29, height: 10 } }],
    charConfidences: [...text].map(() => 0.9),
  };
  return {
    pageIndex,
    widthPx: 100,
    heightPx: 50,
    rotation: 0,
    blocks: [{ box: line.box, lines: [line, { ...line, text: `${text}!` }] }],
    text: `${text}\n${text}!`,
    confidence: 0.9,
    warnings: [{ code: 'low_confidence', message: 'low' }],
    timingsMs: {
      decode: 1,
      detect: 2,
      classify: 0,
      recognize: 3,
      layout: 0,
      total: 6,
      inference: 4,
    },
    rssMb: 300,
  };
}

function withTask(dbPath: string) {
  const db = openDatabase(dbPath);
  db.prepare(
    `INSERT INTO tasks (id, source_path, source_name, options_json, status, priority, original_priority,
       queue_seq, created_at_ms, updated_at_ms) VALUES ('t1', '/x.png', 'x.png', '{}', 'running', 0, 0, 1, 0, 0)`,
  ).run();
  return db;
}

test('migrations bring a new database to the latest schema version, once', () => {
  const path = join(tempDataDir(), 'db.sqlite');
  const db = openDatabase(path);
  assert.equal(schemaVersion(db), MIGRATIONS.at(-1)!.version);
  assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
  db.close();
  const again = openDatabase(path);
  assert.equal(schemaVersion(again), MIGRATIONS.at(-1)!.version);
  again.close();
});

test('a database newer than the code is refused', () => {
  const path = join(tempDataDir(), 'db.sqlite');
  openDatabase(path).close();
  assert.throws(() => openDatabase(path, []), /newer than this OCR Desk/);
});

test('a page read twice (as after a crash) is stored once; results read back whole', () => {
  const db = withTask(join(tempDataDir(), 'db.sqlite'));
  const results = new ResultStore(db);
  results.savePage('t1', page(0, 'first'));
  results.savePage('t1', page(1, 'second'));
  results.savePage('t1', page(0, 'first again'));
  assert.deepEqual(results.rowCounts('t1'), { pages: 2, blocks: 2, lines: 4 });
  assert.deepEqual(results.storedPageIndices('t1'), [0, 1]);

  const pages = results.pages('t1');
  assert.deepEqual(pages[0], page(0, 'first again'));
  assert.deepEqual(pages[1], page(1, 'second'));
  assert.equal((db.prepare('SELECT COUNT(*) AS n FROM result_lines').get() as { n: number }).n, 4);
  db.close();
});

test('the text source of a PDF page survives the round trip', () => {
  const db = withTask(join(tempDataDir(), 'db.sqlite'));
  const results = new ResultStore(db);
  const fromPdf: PageResult = { ...page(0, 'born digital'), textSource: 'pdf-text' };
  results.savePage('t1', fromPdf);
  results.savePage('t1', page(1, 'scanned'));
  assert.deepEqual(results.pages('t1'), [fromPdf, page(1, 'scanned')]);
  db.close();
});

test('a page error is replaced by the page once it is read', () => {
  const db = withTask(join(tempDataDir(), 'db.sqlite'));
  const results = new ResultStore(db);
  results.savePageError('t1', { pageIndex: 3, error: { code: 'invalid_input', message: 'bad' } });
  results.savePageError('t1', {
    pageIndex: 3,
    error: { code: 'invalid_input', message: 'still bad' },
  });
  assert.deepEqual(results.pageErrors('t1'), [
    { pageIndex: 3, error: { code: 'invalid_input', message: 'still bad' } },
  ]);
  results.savePage('t1', page(3, 'fine'));
  assert.deepEqual(results.pageErrors('t1'), []);
  db.close();
});
