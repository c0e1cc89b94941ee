import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  isOwnTextWorthKeeping,
  largestImageShare,
  type PaintOps,
} from '../../../../electron/service/pdf/image-coverage';

const OPS: PaintOps = {
  save: 10,
  restore: 11,
  transform: 12,
  paintFormXObjectBegin: 74,
  paintFormXObjectEnd: 75,
  paintImageMaskXObject: 83,
  paintImageXObject: 85,
  paintInlineImageXObject: 86,
  paintImageXObjectRepeat: 88,
};
const LETTER = [0, 0, 612, 792];

test('a page-sized image covers the whole page; a quarter-size one a quarter', () => {
  const full = largestImageShare(
    [OPS.save, OPS.transform, OPS.paintImageXObject, OPS.restore],
    [null, [612, 0, 0, 792, 0, 0], ['img'], null],
    OPS,
    LETTER,
  );
  assert.equal(full, 1);

  const quarter = largestImageShare(
    [OPS.save, OPS.transform, OPS.transform, OPS.paintImageXObject, OPS.restore],
    [null, [1, 0, 0, 1, 306, 396], [306, 0, 0, 396, 0, 0], ['img'], null],
    OPS,
    LETTER,
  );
  assert.ok(Math.abs(quarter - 0.25) < 1e-9, String(quarter));
});

test('restore undoes a transform, forms apply their matrix, and the page clips', () => {
  const afterRestore = largestImageShare(
    [OPS.save, OPS.transform, OPS.restore, OPS.paintImageXObject],
    [null, [612, 0, 0, 792, 0, 0], null, ['img']],
    OPS,
    LETTER,
  );
  assert.ok(afterRestore < 0.001, 'a 1x1 pt image covers nothing');

  const inForm = largestImageShare(
    [OPS.paintFormXObjectBegin, OPS.transform, OPS.paintImageXObject, OPS.paintFormXObjectEnd],
    [
      [
        [2, 0, 0, 2, 0, 0],
        [0, 0, 1, 1],
      ],
      [306, 0, 0, 396, 0, 0],
      ['img'],
      null,
    ],
    OPS,
    LETTER,
  );
  assert.equal(inForm, 1);

  const halfOff = largestImageShare(
    [OPS.transform, OPS.paintInlineImageXObject],
    [[612, 0, 0, 792, 306, 0], ['img']],
    OPS,
    LETTER,
  );
  assert.ok(Math.abs(halfOff - 0.5) < 1e-9, String(halfOff));
});

test('own text is kept unless a picture fills the page and the text covers little of it', () => {
  const area = 1000 * 1000;
  const stamp = [{ width: 300, height: 20 }];
  const fullPage = Array.from({ length: 30 }, () => ({ width: 800, height: 20 }));
  assert.equal(isOwnTextWorthKeeping(stamp, 0, area), true, 'no picture: born-digital');
  assert.equal(isOwnTextWorthKeeping(stamp, 0.95, area), false, 'a stamp on a scan');
  assert.equal(isOwnTextWorthKeeping(fullPage, 0.95, area), true, 'an OCR layer on a scan');
});
