import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { lowerSmallCapitals } from '../../../../electron/service/engine/small-capitals';
import {
  BODY_TEXT_SCALE,
  glyphs,
  line,
  STEP_WIDTH_PX,
  TALL_PX,
  X_HEIGHT_PX,
  type Glyph,
} from './support/glyph-line';

/** Small capitals stand a little above the x-height. */
const SMALL_CAPITAL_PX = 21;

/** Letters at their usual heights, the capitals after the first of `word` as small capitals. */
function withSmallCapitals(text: string, word: string, heightPx = SMALL_CAPITAL_PX): Glyph[] {
  const at = text.indexOf(word);
  const heights: Record<number, number> = {};
  for (let i = at + 1; i < at + word.length; i++) heights[i] = heightPx;
  return glyphs(text, heights);
}

function read(letters: Glyph[], scale = BODY_TEXT_SCALE): string {
  const { sequence, profile } = line(letters);
  return lowerSmallCapitals(sequence, profile, STEP_WIDTH_PX, scale).text;
}

describe('lowerSmallCapitals', () => {
  test('a capital followed by small capitals reads as a capitalised word', () => {
    assert.equal(read(withSmallCapitals('by Mr. EDWIN here', 'EDWIN')), 'by Mr. Edwin here');
    assert.equal(read(withSmallCapitals('THERE is much', 'THERE')), 'There is much');
  });

  test('small capitals the recogniser read as small letters are kept so', () => {
    assert.equal(read(withSmallCapitals('and ExPREssION, we', 'ExPREssION')), 'and Expression, we');
  });

  test('capitals of one height are left as read', () => {
    assert.equal(read(glyphs('CARNIVOROUS QUADRUPEDS')), 'CARNIVOROUS QUADRUPEDS');
    assert.equal(read(glyphs('the NATO plan')), 'the NATO plan');
  });

  test('a word holding a full capital after its first letter is left as read', () => {
    // "McDONALD": the D after the small c is as tall as the M.
    const letters = glyphs('McDONALD', { 1: X_HEIGHT_PX, 3: 21, 4: 21, 5: 21, 6: 21, 7: 21 });
    assert.equal(read(letters), 'McDONALD');
  });

  test('capitals of uneven heights are left as read', () => {
    const letters = withSmallCapitals('EDWIN', 'EDWIN');
    letters[2].heightPx = TALL_PX - 2;
    assert.equal(read(letters), 'EDWIN');
  });

  test('a word whose first capital cannot be measured is left as read', () => {
    const letters = withSmallCapitals('EDWIN', 'EDWIN');
    letters[0].touchesNext = true;
    assert.equal(read(letters), 'EDWIN');
  });

  test('tiny type, where a pixel is a large share of a letter, is left as read', () => {
    assert.equal(read(withSmallCapitals('THERE is', 'THERE'), 0.3), 'THERE is');
  });
});
