import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { findBenchFiles } from '../../../scripts/bench/corpus';

describe('findBenchFiles', () => {
  let scratchDir = '';
  let root = '';

  before(async () => {
    scratchDir = mkdtempSync(join(tmpdir(), 'bench-corpus-'));
    root = join(scratchDir, 'corpus');
    const png = await sharp({
      create: { width: 8, height: 8, channels: 3, background: '#ffffff' },
    })
      .png()
      .toBuffer();
    const put = (path: string, content: string | Buffer) => {
      mkdirSync(join(root, path, '..'), { recursive: true });
      writeFileSync(join(root, path), content);
    };
    put('top.png', png);
    put('top.gt.txt', 'top');
    put('forms/b.png', png);
    put('forms/b.gt.txt', 'b');
    put('forms/a.PNG', png);
    put('forms/a.gt.txt', 'a');
    put('forms/no-truth.png', png);
    put('forms/notes.txt', 'not an image');
    put('books/old/c.png', png);
    put('books/old/c.gt.txt', 'c');
  });

  after(() => rmSync(scratchDir, { recursive: true, force: true }));

  it('finds images with ground truth beside them, grouped by folder and sorted', async () => {
    const files = await findBenchFiles(root);
    assert.deepEqual(
      files.map((file) => `${file.set}:${file.name}`),
      ['books/old:c', 'corpus:top', 'forms:a', 'forms:b'],
    );
    assert.equal(files[2].groundTruthPath, join(root, 'forms', 'a.gt.txt'));
    assert.ok(files.every((file) => file.pageCount === 1));
  });

  it('keeps the first files of each set under a limit', async () => {
    const files = await findBenchFiles(root, 1);
    assert.deepEqual(
      files.map((file) => file.name),
      ['c', 'top', 'a'],
    );
  });
});
