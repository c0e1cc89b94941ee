import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { correctLetterCase } from '../../../../electron/service/engine/letter-case';
import {
  BODY_TEXT_SCALE,
  glyphs,
  line,
  STEP_WIDTH_PX,
  TALL_PX,
  X_HEIGHT_PX,
  type Glyph,
} from './support/glyph-line';

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
