import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { DecodedSequence } from '../../../../electron/service/engine/ctc-decode';
import { zerosAmongFigures } from '../../../../electron/service/engine/old-style-figures';

function sequenceOf(text: string): DecodedSequence {
  const chars = [...text].map((char, i) => ({
    char,
    confidence: 0.9,
    firstStep: 2 * i,
    lastStep: 2 * i,
  }));
  return { text, chars, confidence: 0.9 };
}

const read = (text: string) => zerosAmongFigures(sequenceOf(text)).text;

describe('zerosAmongFigures', () => {
  test('an o among figures is a zero', () => {
    assert.equal(read('previous to 164o—two or three'), 'previous to 1640—two or three');
    assert.equal(read('in 1659–6o. The east'), 'in 1659–60. The east');
    assert.equal(read('Fig. 4o shows'), 'Fig. 40 shows');
    assert.equal(read('475OO SUBANG JAYA'), '47500 SUBANG JAYA');
  });

  test('an o touching a letter, or without a figure beside it, stays a letter', () => {
    assert.equal(read('H2O and CO2'), 'H2O and CO2');
    assert.equal(read('No. 4 or 5, so 2 of them'), 'No. 4 or 5, so 2 of them');
  });

  test('a line with no figure is returned as it came', () => {
    const sequence = sequenceOf('out of the wood');
    assert.equal(zerosAmongFigures(sequence), sequence);
  });

  test('characters keep their steps', () => {
    const corrected = zerosAmongFigures(sequenceOf('1o'));
    assert.deepEqual(
      corrected.chars.map((c) => [c.char, c.firstStep]),
      [
        ['1', 0],
        ['0', 2],
      ],
    );
  });
});
