import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { DecodedChar, DecodedSequence } from '../../../../electron/service/engine/ctc-decode';
import { correctLetterCase } from '../../../../electron/service/engine/letter-case';
import { LINE_HEIGHT_PX } from '../../../../electron/service/engine/line-sampler';
import type { InkProfile } from '../../../../electron/service/engine/word-gaps';
import { inkPerRow } from './support/ink-rows';

/** Output time steps are this many sampled pixels apart in these tests. */
const STEP_WIDTH_PX = 4;
/** Each letter takes 12 px of the line: 8 px of ink and a 4 px gap. */
const ADVANCE_PX = 12;
const BASELINE_ROW = 36;
const X_HEIGHT_PX = 20;
const TALL_PX = 28;
/** Page pixels per sampled pixel of a line of ordinary body text. */
const BODY_TEXT_SCALE = 1;

interface Glyph {
  char: string;
  heightPx: number;
  /** Whether its ink runs into the next letter's, with no blank column between. */
  touchesNext?: boolean;
}

/** The usual ink height of a letter as it reads: capitals, ascenders and digits are tall. */
function heightOf(char: string): number {
  return /[A-Z0-9bdfhkl]/.test(char) ? TALL_PX : X_HEIGHT_PX;
}

/** Letters at their usual heights, except where `heightsPx` says otherwise, by position. */
function glyphs(text: string, heightsPx: Record<number, number> = {}): Glyph[] {
  return [...text].map((char, i) => ({ char, heightPx: heightsPx[i] ?? heightOf(char) }));
}

/** The decoded sequence and ink profile of a line of letters, each centred in its advance. */
function line(letters: Glyph[]): { sequence: DecodedSequence; profile: InkProfile } {
  const widthPx = letters.length * ADVANCE_PX;
  const inked = new Uint8Array(widthPx);
  const inkMask = new Uint8Array(LINE_HEIGHT_PX * widthPx);
  const chars: DecodedChar[] = [];
  letters.forEach(({ char, heightPx, touchesNext }, i) => {
    // Steps 3i+1: centred at 12i + 6 px, the middle of the letter's ink (12i + 2 to 12i + 10).
    chars.push({ char, confidence: 0.9, firstStep: 3 * i + 1, lastStep: 3 * i + 1 });
    if (char === ' ') return;
    const from = i * ADVANCE_PX + 2;
    const to = from + 8 + (touchesNext ? 4 : 0);
    inked.fill(1, from, to);
    for (let y = BASELINE_ROW - heightPx + 1; y <= BASELINE_ROW; y++) {
      inkMask.fill(1, y * widthPx + from, y * widthPx + to);
    }
  });
  const text = chars.map((c) => c.char).join('');
  return {
    sequence: { text, chars, confidence: 0.9 },
    profile: { inked, inkHeightPx: TALL_PX, inkMask, inkPerRowPx: inkPerRow(inkMask, widthPx) },
  };
}

function corrected(letters: Glyph[], scale = BODY_TEXT_SCALE): string {
  const { sequence, profile } = line(letters);
  return correctLetterCase(sequence, profile, STEP_WIDTH_PX, scale).text;
}

describe('correctLetterCase', () => {
  test('a small letter as tall as the capitals becomes a capital', () => {
    // "HellO Warmer" read as "Hello Warmer", its O at cap height.
    assert.equal(corrected(glyphs('Hello Warmer', { 4: TALL_PX })), 'HellO Warmer');
  });

  test('a capital as short as the x-height letters becomes a small letter', () => {
    assert.equal(corrected(glyphs('Handler Swan', { 8: X_HEIGHT_PX })), 'Handler swan');
    assert.equal(
      corrected(glyphs('Dreamland CXW ran', { 10: 20, 11: 20, 12: 20 })),
      'Dreamland cxw ran',
    );
  });

  test('letters read in the case their height shows are left as read', () => {
    assert.equal(corrected(glyphs('Some waxen Owls ran')), 'Some waxen Owls ran');
  });

  test('a height between the two references changes nothing', () => {
    assert.equal(corrected(glyphs('Hello Warmer', { 4: 24 })), 'Hello Warmer');
    assert.equal(corrected(glyphs('Handler Swan', { 8: 24 })), 'Handler Swan');
  });

  test('digits and punctuation keep their form whatever their height', () => {
    assert.equal(corrected(glyphs('Hamer 0.5, ran', { 6: 20, 7: 28 })), 'Hamer 0.5, ran');
  });

  test('a line without two letters of each height is left as read', () => {
    // All capitals: no x-height letter to compare with.
    assert.equal(corrected(glyphs('HELLo WORLD', { 4: TALL_PX })), 'HELLo WORLD');
    assert.equal(corrected(glyphs('Hello', { 4: TALL_PX })), 'Hello');
  });

  test('a letter whose ink runs into its neighbour is not measured', () => {
    const letters = glyphs('Hello Warmer', { 4: TALL_PX });
    letters[3].touchesNext = true;
    assert.equal(corrected(letters), 'Hello Warmer');
  });

  test('type whose letters all stand about as tall is left as read', () => {
    // Tall letters 24 px, x-height letters 22 px: an "o" of 24 px tells nothing.
    const even = glyphs('Hello Warmer').map((g) => ({
      ...g,
      heightPx: g.heightPx === TALL_PX ? 24 : 22,
    }));
    even[4].heightPx = 24;
    assert.equal(corrected(even), 'Hello Warmer');
  });

  test('tiny type, where a pixel is a large share of a letter, is left as read', () => {
    assert.equal(corrected(glyphs('Hello Warmer', { 4: TALL_PX }), 0.3), 'Hello Warmer');
  });
});
