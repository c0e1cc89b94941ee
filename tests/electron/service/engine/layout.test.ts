import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { orderIntoBlocks, type LayoutItem } from '../../../../electron/service/engine/layout';

const LINE_HEIGHT_PX = 20;
const LINE_PITCH_PX = 30;

function line(x: number, y: number, width: number, height = LINE_HEIGHT_PX): LayoutItem {
  return { box: { x, y, width, height } };
}

/** Blocks as lists of the names given to the items, to read failures easily. */
function namedBlocks(named: [name: string, item: LayoutItem][]): string[][] {
  const blocks = orderIntoBlocks(named.map(([, item]) => item));
  const seen = blocks.flat().sort((a, b) => a - b);
  assert.deepEqual(
    seen,
    named.map((_, i) => i),
    'every line appears in exactly one block',
  );
  return blocks.map((block) => block.map((i) => named[i][0]));
}

/** Lists items in an order unrelated to reading order, so that the result cannot echo the input. */
function shuffled<T>(items: T[]): T[] {
  return items
    .map((item, i) => ({ item, key: (i * 7919) % 13 }))
    .sort((a, b) => a.key - b.key)
    .map((e) => e.item);
}

describe('orderIntoBlocks', () => {
  test('a two-column page under a full-width title reads the title, the left column, then the right', () => {
    const named: [string, LayoutItem][] = [['title', line(40, 40, 880, 24)]];
    for (let i = 0; i < 10; i++) {
      named.push([`L${i}`, line(40, 100 + i * LINE_PITCH_PX, 380 + (i % 3) * 10)]);
      named.push([`R${i}`, line(520, 100 + i * LINE_PITCH_PX, 390 - (i % 2) * 30)]);
    }

    const blocks = namedBlocks(shuffled(named));

    assert.deepEqual(blocks, [
      ['title'],
      Array.from({ length: 10 }, (_, i) => `L${i}`),
      Array.from({ length: 10 }, (_, i) => `R${i}`),
    ]);
  });

  test("a receipt's label on the left and price on the right stay one row, read label then price", () => {
    const named: [string, LayoutItem][] = [];
    for (let i = 0; i < 8; i++) {
      const y = 50 + i * 28;
      named.push([`item${i}`, line(20, y, 100 + (i % 4) * 40)]);
      // Prices sit a few pixels off their label's row, as on a slightly skewed scan.
      named.push([`price${i}`, line(600, y + ((i % 3) - 1) * 3, 70)]);
    }

    const blocks = namedBlocks(named);

    assert.deepEqual(blocks, [
      Array.from({ length: 8 }, (_, i) => [`item${i}`, `price${i}`]).flat(),
    ]);
  });

  test('paragraphs separated by a wide vertical gap become separate blocks', () => {
    const named: [string, LayoutItem][] = [];
    for (let i = 0; i < 4; i++) named.push([`p1.${i}`, line(50, 100 + i * LINE_PITCH_PX, 500)]);
    const secondTop = 100 + 3 * LINE_PITCH_PX + LINE_HEIGHT_PX + 2 * LINE_HEIGHT_PX;
    for (let i = 0; i < 3; i++)
      named.push([`p2.${i}`, line(50, secondTop + i * LINE_PITCH_PX, 480)]);

    assert.deepEqual(namedBlocks(shuffled(named)), [
      ['p1.0', 'p1.1', 'p1.2', 'p1.3'],
      ['p2.0', 'p2.1', 'p2.2'],
    ]);
  });

  test('ordinary line spacing does not split a paragraph', () => {
    const named: [string, LayoutItem][] = [];
    for (let i = 0; i < 6; i++) named.push([`l${i}`, line(50, 100 + i * LINE_PITCH_PX, 500)]);
    assert.deepEqual(namedBlocks(named), [['l0', 'l1', 'l2', 'l3', 'l4', 'l5']]);
  });

  test('two pieces of one visual row read left to right even when the right one sits higher', () => {
    const blocks = namedBlocks([
      ['right', line(300, 98, 200)],
      ['left', line(0, 102, 250)],
    ]);
    assert.deepEqual(blocks, [['left', 'right']]);
  });

  test('no lines, no blocks', () => {
    assert.deepEqual(orderIntoBlocks([]), []);
  });
});
