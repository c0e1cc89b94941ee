import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { RgbImage } from '../../../../electron/service/engine/decode';
import { cutLongLine, joinPieceReadings } from '../../../../electron/service/engine/long-lines';
import { longestWholeLinePx, type LineReading } from '../../../../electron/service/engine/page-ops';

const HEIGHT_PX = 40;

/**
 * A white strip HEIGHT_PX high with "words" of black ink: each word `wordPx` long, then a
 * `spacePx` blank, and inside each word a 2 px blank every 16 px (the gaps between letters).
 */
function inkedStrip(widthPx: number, wordPx: number, spacePx: number): RgbImage {
  const data = new Uint8Array(widthPx * HEIGHT_PX * 3).fill(255);
  for (let x = 0; x < widthPx; x++) {
    const inWord = x % (wordPx + spacePx);
    if (inWord >= wordPx || inWord % 16 >= 14) continue;
    for (let y = 8; y < HEIGHT_PX - 8; y++)
      data.fill(0, (y * widthPx + x) * 3, (y * widthPx + x) * 3 + 3);
  }
  return { data, width: widthPx, height: HEIGHT_PX };
}

function wholeLine(widthPx: number) {
  return { cx: widthPx / 2, cy: HEIGHT_PX / 2, width: widthPx, height: HEIGHT_PX, ux: 1, uy: 0 };
}

function reading(text: string, sampledWidthPx: number): LineReading {
  // One character every 4 steps of 8 sampled px, starting at step 1.
  const chars = [...text].map((char, i) => ({
    char,
    confidence: 0.9,
    firstStep: 1 + 4 * i,
    lastStep: 2 + 4 * i,
  }));
  return { text, confidence: 0.9, chars, stepWidthPx: 8, sampledWidthPx, flipped: false };
}

describe('cutLongLine', () => {
  test('leaves a line the recogniser reads whole as it is', () => {
    const width = Math.floor(longestWholeLinePx(HEIGHT_PX));
    const line = wholeLine(width);
    assert.deepEqual(cutLongLine(inkedStrip(width, 150, 14), line), [line]);
  });

  test('cuts a banner line into pieces that fit, each cut in a word space', () => {
    const wordPx = 150;
    const spacePx = 14;
    const width = 20_000;
    const line = wholeLine(width);
    const pieces = cutLongLine(inkedStrip(width, wordPx, spacePx), line);

    assert.ok(pieces.length >= Math.ceil(width / longestWholeLinePx(HEIGHT_PX)));
    let at = 0;
    for (const [k, piece] of pieces.entries()) {
      assert.ok(piece.width <= longestWholeLinePx(HEIGHT_PX), `piece ${k}: ${piece.width} px`);
      assert.equal(piece.height, HEIGHT_PX);
      assert.equal(piece.cy, line.cy);
      const start = piece.cx - piece.width / 2;
      assert.ok(Math.abs(start - at) < 1e-9, 'the pieces follow on without gaps or overlaps');
      at = start + piece.width;
      if (k === 0) continue;
      const inWord = start % (wordPx + spacePx);
      assert.ok(inWord >= wordPx, `cut at ${start} px is ${inWord} px into a word`);
    }
    assert.ok(Math.abs(at - width) < 1e-9);
  });

  test('follows a line running down the page', () => {
    const line = { cx: 20, cy: 10_000, width: 20_000, height: HEIGHT_PX, ux: 0, uy: 1 };
    const image: RgbImage = {
      data: new Uint8Array(HEIGHT_PX * 20_000 * 3).fill(255),
      width: HEIGHT_PX,
      height: 20_000,
    };
    const pieces = cutLongLine(image, line);
    assert.ok(pieces.length > 1);
    for (const piece of pieces) assert.equal(piece.cx, 20);
    assert.ok(Math.abs(pieces.reduce((s, p) => s + p.width, 0) - 20_000) < 1e-9);
  });
});

describe('joinPieceReadings', () => {
  const line = wholeLine(3000);
  const pieces = [
    { ...line, cx: 500, width: 1000 },
    { ...line, cx: 2000, width: 2000 },
  ];

  test('joins the pieces with a space, each character placed along the whole line', () => {
    const joined = joinPieceReadings(
      line,
      pieces,
      [reading('ab', 800), reading('cd', 1600)],
      false,
    );
    assert.equal(joined.text, 'ab cd');
    assert.equal(joined.sampledWidthPx, 2400);
    assert.equal(joined.stepWidthPx, 8);
    // "c" is at step 1 of the second piece: 8 sampled px into it, 1000 page px along the line.
    const c = joined.chars[3];
    assert.equal(c.char, 'c');
    assert.ok(Math.abs(c.firstStep - (800 + 8) / 8) < 1e-9, `${c.firstStep}`);
    assert.ok(Math.abs(joined.confidence - 0.9) < 1e-9);
  });

  test('reads the pieces of a line turned over from its far end', () => {
    const joined = joinPieceReadings(
      line,
      pieces,
      [
        { ...reading('ba', 800), flipped: true },
        { ...reading('dc', 1600), flipped: true },
      ],
      true,
    );
    assert.equal(joined.text, 'dc ba');
    assert.equal(joined.flipped, true);
    // Turned over, the second piece is read first, from step 1.
    assert.equal(joined.chars[0].firstStep, 1);
    assert.ok(joined.chars[3].firstStep > joined.chars[1].lastStep);
  });
});
