import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pageTextOperators } from '../../../../../electron/service/export/pdf/text-layer-ops';
import { makeBlock, makeLine, makePage } from '../page-fixtures';

/** One code per character, as the glyphless font encodes them. */
const encoder = {
  encode(text: string) {
    const chars = [...text];
    return {
      hex: `<${chars.map((c) => c.codePointAt(0)?.toString(16).padStart(4, '0')).join('')}>`,
      count: chars.length,
    };
  },
};
/** 100 x 100 px page mapped to 100 x 100 pt: y flips, nothing else. */
const AREA = { widthPt: 100, heightPt: 100, widthPx: 100, heightPx: 100 };

interface Run {
  sizePt: number;
  scalePercent: number;
  matrix: number[];
  hex: string;
}

function runs(ops: string): Run[] {
  const found: Run[] = [];
  let sizePt = 0;
  for (const line of ops.split('\n')) {
    const size = /Tf$/.test(line) ? Number(line.split(' ')[1]) : undefined;
    if (size !== undefined) sizePt = size;
    const m = /^(\S+) Tz (\S+) (\S+) (\S+) (\S+) (\S+) (\S+) Tm (<[0-9a-f]*>) Tj$/.exec(line);
    if (m)
      found.push({
        sizePt,
        scalePercent: Number(m[1]),
        matrix: m.slice(2, 8).map(Number),
        hex: m[8],
      });
  }
  return found;
}

test('words of a horizontal line start at their boxes and span their widths', () => {
  const line = makeLine('ab cd', { x: 10, y: 20, width: 50, height: 10 });
  const ops = pageTextOperators(makePage(0, 100, 100, [makeBlock([line])]), 'F1', encoder, AREA);
  assert.match(ops, /^BT\n3 Tr\n/);
  assert.match(ops, /\nET$/);
  const [first, second] = runs(ops);
  assert.equal(first.sizePt, 10);
  // Baseline: the box's bottom (y = 100 - 30 = 70 pt) raised by the font's descent (0.2 em).
  assert.deepEqual(first.matrix, [1, 0, 0, 1, 10, 72]);
  assert.equal(first.hex, '<006100620020>', 'a space follows every word but the last');
  // "ab" spans 20 pt: two glyphs of half an em at 10 pt are 10 pt, so 200%.
  assert.equal(first.scalePercent, 200);
  assert.deepEqual(second.matrix, [1, 0, 0, 1, 40, 72]);
  assert.equal(second.hex, '<00630064>');
});

test('a line read top to bottom runs down the page', () => {
  const line = makeLine('abcd', { x: 40, y: 10, width: 10, height: 80 });
  // Clockwise from the top-left as read: the text's top is on the page's right.
  line.polygon = [
    [50, 10],
    [50, 90],
    [40, 90],
    [40, 10],
  ];
  line.words = [];
  const ops = pageTextOperators(makePage(0, 100, 100, [makeBlock([line])]), 'F1', encoder, AREA);
  const [run] = runs(ops);
  assert.deepEqual(run.matrix.slice(0, 4), [0, -1, 1, 0], 'direction down, up towards +x');
  assert.equal(run.sizePt, 10);
  assert.equal(run.scalePercent, 400, '4 glyphs of 5 pt fill 80 pt');
});

test('touching words get a gap, and words that do not spell the line give one run', () => {
  const touching = makeLine('if it', { x: 0, y: 0, width: 50, height: 10 });
  touching.words = [
    { text: 'if', confidence: 1, box: { x: 0, y: 0, width: 25, height: 10 } },
    { text: 'it', confidence: 1, box: { x: 25, y: 0, width: 25, height: 10 } },
  ];
  const [a, b] = runs(
    pageTextOperators(makePage(0, 100, 100, [makeBlock([touching])]), 'F1', encoder, AREA),
  );
  const endOfA = a.matrix[4] + (a.scalePercent / 100) * 2 * 5;
  assert.ok(b.matrix[4] - endOfA >= 3 - 1e-9, `gap ${b.matrix[4] - endOfA} pt`);

  const mismatched = makeLine('hello world', { x: 0, y: 0, width: 55, height: 10 });
  mismatched.words = [{ text: 'hello', confidence: 1, box: { x: 0, y: 0, width: 25, height: 10 } }];
  const single = runs(
    pageTextOperators(makePage(0, 100, 100, [makeBlock([mismatched])]), 'F1', encoder, AREA),
  );
  assert.equal(single.length, 1);
  assert.equal(single[0].scalePercent, 100, '11 glyphs of 5 pt span 55 pt');
});

test('a page without text gives no operators', () => {
  assert.equal(pageTextOperators(makePage(0, 100, 100, []), 'F1', encoder, AREA), '');
});
