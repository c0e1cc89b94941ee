/** Export file names: unique in their folder, never a document of the batch. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  assignExportStems,
  sourceStem,
  type NamedDocument,
} from '../../../../electron/service/api/export-names';

const OUT = '/exports';

function doc(sourcePath: string, destinationDir = OUT, stem?: string): NamedDocument {
  return { key: sourcePath, sourcePath, destinationDir, stem };
}

test('a document alone in its folder is named after its source without the extension', () => {
  const stems = assignExportStems([doc('/in/scan.png'), doc('/in/letter.pdf')], ['txt', 'pdf']);
  assert.deepEqual([...stems.values()], ['scan', 'letter']);
});

test('documents whose stems clash keep their extensions, each of them', () => {
  const stems = assignExportStems(
    [doc('/in/r.jpg'), doc('/in/r.png'), doc('/in/other.png')],
    ['txt'],
  );
  assert.deepEqual([...stems.values()], ['r.jpg', 'r.png', 'other']);
});

test('the same name from two folders is numbered; letter case does not make names differ', () => {
  const stems = assignExportStems(
    [doc('/a/scan.png'), doc('/b/scan.png'), doc('/c/SCAN.png')],
    ['txt'],
  );
  assert.deepEqual([...stems.values()], ['scan', 'scan-2', 'SCAN-3']);
});

test('of three clashing stems, two with the same name are numbered, the third keeps its extension', () => {
  const stems = assignExportStems([doc('/a/r.png'), doc('/b/r.png'), doc('/a/r.jpg')], ['txt']);
  assert.deepEqual([...stems.values()], ['r', 'r-2', 'r.jpg']);
});

test('stems only clash within one output folder', () => {
  const stems = assignExportStems(
    [doc('/in/x/page.png', join(OUT, 'x')), doc('/in/y/page.png', join(OUT, 'y'))],
    ['txt'],
  );
  assert.deepEqual([...stems.values()], ['page', 'page']);
});

test('an export never takes the name of a document or a reserved file', () => {
  // Exporting into the documents' own folder: scan.pdf as pdf would replace itself, and
  // notes.txt is a user's file met in the batch.
  const stems = assignExportStems(
    [doc('/in/scan.pdf', '/in'), doc('/in/notes.png', '/in')],
    ['pdf', 'txt'],
    ['/in/notes.txt'],
  );
  assert.deepEqual([...stems.values()], ['scan-2', 'notes-2']);
});

test('a stem the caller chose is kept, and numbered only when it is taken', () => {
  const stems = assignExportStems(
    [doc('/in/a.png', OUT, 'chosen'), doc('/in/b.png', OUT, 'chosen'), doc('/in/chosen.png')],
    ['txt'],
  );
  assert.deepEqual([...stems.values()], ['chosen', 'chosen-2', 'chosen-3']);
});

test('the stem of a name that is only an extension, or has several dots', () => {
  assert.equal(sourceStem('/in/.hidden'), '.hidden');
  assert.equal(sourceStem('/in/archive.tar.gz'), 'archive.tar');
  assert.equal(sourceStem('/in/noext'), 'noext');
});
