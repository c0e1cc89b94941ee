/** Export file names: unique in their folder, never a document of the batch. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  assignExportStems,
  sourceStem,
  type NamedDocument,
} from '../../../../electron/service/api/export-names';
import { isFileStem } from '../../../../shared/file-stems';
import { requestSchemas } from '../../../../shared/schemas';

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

test('every stem made from a legal file name is one the export request accepts', () => {
  const long = 'a'.repeat(246);
  const names = [
    'back\\slash.png',
    `${long}.png`,
    `${long}.tiff`,
    `${'é'.repeat(120)}.png`,
    `${'𠀀'.repeat(60)}.jpg`,
    '..png',
    '...png',
    'line\nbreak.png',
  ];
  const documents = names.map((name) => doc(`/in/${name}`));
  const stems = assignExportStems(documents, ['txt', 'alto.xml']);
  for (const [key, stem] of stems) {
    const request = { taskIds: ['t'], formats: ['txt'], destinationDir: OUT, stems: { t: stem } };
    const checked = requestSchemas.export.safeParse(request);
    assert.ok(checked.success, `${JSON.stringify(key)} → ${JSON.stringify(stem)}`);
    // Room is left for the extension in the file system's 255-byte name limit.
    assert.ok(Buffer.byteLength(`${stem}.alto.xml`) <= 255, stem);
  }
  assert.equal(stems.get('/in/back\\slash.png'), 'back_slash');
  assert.equal(stems.get('/in/..png'), '..png');
});

test('long names that are the same once shortened stay apart, the number within the limit', () => {
  const long = 'b'.repeat(230);
  const stems = [
    ...assignExportStems([doc(`/in/${long}1.png`), doc(`/in/${long}2.png`)], ['txt']).values(),
  ];
  assert.equal(new Set(stems).size, 2, stems.join(', '));
  for (const stem of stems) assert.ok(isFileStem(stem), stem);
  assert.equal(stems[1], `${'b'.repeat(198)}-2`);
});
