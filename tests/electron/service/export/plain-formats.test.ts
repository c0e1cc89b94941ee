import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { ExportDocument } from '../../../../shared/domain';
import { OcrError } from '../../../../shared/errors';
import { writeExport } from '../../../../electron/service/export/index';
import { makeBlock, makeLine, makePage } from './page-fixtures';

let dir: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ocr-desk-plain-'));
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const twoPages: ExportDocument = {
  sourcePath: '/scans/letter.tiff',
  info: { format: 'tiff', pageCount: 2, widthPx: 1000, heightPx: 800, fileSizeBytes: 1 },
  pages: [
    makePage(0, 1000, 800, [
      makeBlock([
        makeLine('Dear Sir,', { x: 10, y: 10, width: 200, height: 20 }),
        makeLine('# not a heading, *not* bold', {
          x: 10.123456,
          y: 40,
          width: 499.996,
          height: 20,
        }),
      ]),
      makeBlock([makeLine('Price: "12,50", tax 1.5', { x: 10, y: 100, width: 400, height: 20 })]),
    ]),
    makePage(1, 1000, 800, [
      makeBlock([makeLine('Yours, Ann', { x: 10, y: 10, width: 200, height: 20 })]),
    ]),
  ],
};

async function exported(format: 'txt' | 'md' | 'csv', name: string) {
  const path = join(dir, name);
  await writeExport(format, twoPages, path);
  return readFile(path, 'utf8');
}

describe('plain text', () => {
  test('page texts in order with a form feed between pages', async () => {
    const text = await exported('txt', 'letter.txt');
    assert.equal(
      text,
      'Dear Sir,\n# not a heading, *not* bold\n\nPrice: "12,50", tax 1.5\n\fYours, Ann\n',
    );
  });

  test('a page that failed stays as an empty page between form feeds', async () => {
    const path = join(dir, 'gap.txt');
    const threePages = { ...twoPages, info: { ...twoPages.info, pageCount: 3 } };
    const withGap = {
      ...threePages,
      pages: [twoPages.pages[0], { ...twoPages.pages[1], pageIndex: 2 }],
    };
    await writeExport('txt', withGap, path);
    const pages = (await readFile(path, 'utf8')).split('\f');
    assert.equal(pages.length, 3);
    assert.equal(pages[1], '\n');
    assert.equal(pages[2], 'Yours, Ann\n');
  });
});

describe('Markdown', () => {
  test('a heading per page, blocks as paragraphs, markup characters escaped', async () => {
    const md = await exported('md', 'letter.md');
    assert.equal(
      md,
      [
        '## Page 1',
        '',
        'Dear Sir,',
        '\\# not a heading, \\*not\\* bold',
        '',
        'Price: "12,50", tax 1.5',
        '',
        '## Page 2',
        '',
        'Yours, Ann',
        '',
      ].join('\n'),
    );
  });
});

describe('CSV', () => {
  test('one row per line with RFC 4180 quoting and CRLF line ends', async () => {
    const csv = await exported('csv', 'letter.csv');
    const rows = csv.split('\r\n');
    assert.equal(rows[0], 'page,block,line,text,confidence,x,y,width,height');
    assert.equal(rows[1], '1,1,1,"Dear Sir,",0.93,10,10,200,20');
    // Boxes to a hundredth of a pixel.
    assert.equal(rows[2], '1,1,2,"# not a heading, *not* bold",0.93,10.12,40,500,20');
    assert.equal(rows[3], '1,2,1,"Price: ""12,50"", tax 1.5",0.93,10,100,400,20');
    assert.equal(rows[4], '2,1,1,"Yours, Ann",0.93,10,10,200,20');
    assert.equal(rows.length, 6, 'four lines, a header and the final CRLF');
    assert.equal(rows[5], '');
  });
});

describe('writing in place', () => {
  test('a failed export leaves the old file alone and no temporary file behind', async () => {
    const dest = join(dir, 'keep.pdf');
    await writeFile(dest, 'previous export');
    const missingSource = { ...twoPages, sourcePath: join(dir, 'gone.tiff') };
    await assert.rejects(writeExport('pdf', missingSource, dest), (error: unknown) => {
      assert.ok(error instanceof OcrError);
      assert.equal(error.code, 'export_failed');
      return true;
    });
    assert.equal(await readFile(dest, 'utf8'), 'previous export');
    assert.deepEqual(
      (await readdir(dir)).filter((f) => f.includes('keep.pdf')),
      ['keep.pdf'],
    );
  });

  test('a folder that cannot be written fails with export_failed', async () => {
    await assert.rejects(
      writeExport('txt', twoPages, join(dir, 'no-such-folder', 'out.txt')),
      (error: unknown) => error instanceof OcrError && error.code === 'export_failed',
    );
  });

  test('an export never replaces the document it was read from', async () => {
    const source = join(dir, 'scan.pdf');
    await writeFile(source, 'the original');
    const fromSource = { ...twoPages, sourcePath: source };
    for (const dest of [source, join(dir, '.', 'scan.pdf')]) {
      await assert.rejects(
        writeExport('pdf', fromSource, dest),
        (error: unknown) => error instanceof OcrError && error.code === 'export_failed',
      );
    }
    assert.equal(await readFile(source, 'utf8'), 'the original');
  });

  test('a new export replaces the old one whole', async () => {
    const dest = join(dir, 'replace.txt');
    await writeFile(dest, 'x'.repeat(100_000));
    await writeExport('txt', twoPages, dest);
    assert.match(await readFile(dest, 'utf8'), /^Dear Sir,/);
    assert.deepEqual(
      (await readdir(dir)).filter((f) => f.includes('replace.txt')),
      ['replace.txt'],
    );
  });
});
