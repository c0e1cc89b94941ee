import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { RotatedRect } from '../../../../electron/service/engine/geometry';
import { assembleBlocks } from '../../../../electron/service/engine/page-assembly';
import type { LineReading } from '../../../../electron/service/engine/page-ops';

/** An upright line of text whose top-left corner is at (x, y). */
function rect(x: number, y: number, width: number, height = 30): RotatedRect {
  return { cx: x + width / 2, cy: y + height / 2, width, height, ux: 1, uy: 0 };
}

function reading(text: string): LineReading {
  const chars = [...text].map((char, i) => ({
    char,
    confidence: 0.9,
    firstStep: 2 * i,
    lastStep: 2 * i + 1,
  }));
  return {
    text,
    confidence: 0.9,
    chars,
    stepWidthPx: 8,
    sampledWidthPx: 16 * text.length,
    flipped: false,
  };
}

/** The page text of one column of lines, 40 px apart. */
function columnText(texts: string[]): string {
  const rects = texts.map((_, i) => rect(100, 100 + 40 * i, 600));
  const frame = { quarterTurn: 0 as const, upsideDown: false, workWidth: 1000, workHeight: 1000 };
  return assembleBlocks(rects, texts.map(reading), frame).text;
}

describe('page text', () => {
  test('rows of a block are joined by newlines', () => {
    assert.equal(
      columnText(['The first line', 'and the second.']),
      'The first line\nand the second.',
    );
  });

  test('a word broken at the end of a row is joined back', () => {
    assert.equal(
      columnText(['In com-', 'pleting the number, oft-', 'times rebellious']),
      'In completing the number, ofttimes rebellious',
    );
  });

  test('a hyphen before a capital, a digit or a lone letter stays, with the line break', () => {
    assert.equal(columnText(['Anglo-', 'Saxon']), 'Anglo-\nSaxon');
    assert.equal(columnText(['pages 10-', '12 and']), 'pages 10-\n12 and');
    assert.equal(columnText(['a list of items -', 'and more']), 'a list of items -\nand more');
    assert.equal(columnText(['vitamin B-', 'complex']), 'vitamin B-\ncomplex');
  });
});
