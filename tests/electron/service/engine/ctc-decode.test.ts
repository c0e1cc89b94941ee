import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { InferenceSession } from 'onnxruntime-node';
import {
  alphabetFromDictionary,
  ctcGreedyDecode,
} from '../../../../electron/service/engine/ctc-decode';
import { defaultModelFiles, readDictionary } from '../../../../electron/service/engine/model-files';

// Class 0 is the blank; the dictionary gives 1..3; the space comes last.
const ALPHABET = alphabetFromDictionary('a\nb\nc\n');
const CLASSES = ALPHABET.length;
const BLANK = '_';

/**
 * One sequence of probabilities, a step per entry: the named character (or `_` for blank)
 * wins with `probability`, the rest share what is left.
 */
function steps(spec: [char: string, probability: number][]): Float32Array {
  const probs = new Float32Array(spec.length * CLASSES);
  spec.forEach(([char, probability], t) => {
    const winner = char === BLANK ? 0 : ALPHABET.indexOf(char);
    assert.ok(winner >= 0, `no class for ${char}`);
    for (let c = 0; c < CLASSES; c++) {
      probs[t * CLASSES + c] = c === winner ? probability : (1 - probability) / (CLASSES - 1);
    }
  });
  return probs;
}

function sure(text: string): [string, number][] {
  return Array.from(text, (char) => [char, 0.9]);
}

function decode(spec: [string, number][]) {
  return ctcGreedyDecode(steps(spec), 0, spec.length, CLASSES, ALPHABET);
}

describe('alphabetFromDictionary', () => {
  test('puts the blank first and the space last, around the dictionary in order', () => {
    assert.deepEqual(alphabetFromDictionary('a\nb\nc\n'), ['', 'a', 'b', 'c', ' ']);
  });

  test('reads Windows line ends and a missing final line end alike', () => {
    assert.deepEqual(alphabetFromDictionary('x\r\ny\r\nz'), ['', 'x', 'y', 'z', ' ']);
  });

  test('the shipped dictionary gives exactly one class per output of the recogniser', async () => {
    const files = defaultModelFiles();
    const session = await InferenceSession.create(files.recognition);
    try {
      const output = session.outputMetadata[0];
      assert.ok(output.isTensor);
      const classes = output.shape[output.shape.length - 1];
      const alphabet = alphabetFromDictionary(readDictionary(files));
      assert.equal(alphabet.length, classes);
      assert.equal(alphabet[0], '');
      assert.equal(alphabet[alphabet.length - 1], ' ');
      assert.ok(alphabet.includes('A') && alphabet.includes('z') && alphabet.includes('7'));
    } finally {
      await session.release();
    }
  });
});

describe('ctcGreedyDecode', () => {
  test('collapses repeats of a character into one', () => {
    assert.equal(decode(sure('aaabbc')).text, 'abc');
  });

  test('a blank between two equal characters keeps both', () => {
    assert.equal(decode(sure('aa_a_bb_b')).text, 'aabb');
  });

  test('drops blanks wherever they fall', () => {
    assert.equal(decode(sure('__a__b__')).text, 'ab');
    assert.equal(decode(sure('____')).text, '');
  });

  test('keeps a space between words, folding runs and trimming the ends', () => {
    assert.equal(decode(sure('a b')).text, 'a b');
    assert.equal(decode(sure('  a _ b  ')).text, 'a b');
    assert.equal(decode(sure('a _ _ b')).text, 'a b');
  });

  test("a character's confidence is the mean of its steps; the sequence's the mean of its characters", () => {
    const result = decode([
      ['a', 0.9],
      ['a', 0.7],
      [BLANK, 0.99],
      ['b', 0.5],
    ]);
    assert.equal(result.text, 'ab');
    assert.ok(
      Math.abs(result.chars[0].confidence - 0.8) < 1e-6,
      String(result.chars[0].confidence),
    );
    assert.ok(Math.abs(result.chars[1].confidence - 0.5) < 1e-6);
    assert.ok(Math.abs(result.confidence - 0.65) < 1e-6, String(result.confidence));
  });

  test('blanks and trimmed spaces do not count towards the confidence', () => {
    const result = decode([
      [' ', 0.3],
      ['c', 0.8],
      [BLANK, 0.2],
      [' ', 0.4],
    ]);
    assert.equal(result.text, 'c');
    assert.ok(Math.abs(result.confidence - 0.8) < 1e-6, String(result.confidence));
  });

  test('nothing read has confidence 0', () => {
    const result = decode(sure('___'));
    assert.equal(result.chars.length, 0);
    assert.equal(result.confidence, 0);
  });

  test('each character records the first and last time step it was read at', () => {
    const result = decode(sure('_aa__b_ccc'));
    assert.deepEqual(
      result.chars.map((c) => [c.char, c.firstStep, c.lastStep]),
      [
        ['a', 1, 2],
        ['b', 5, 5],
        ['c', 7, 9],
      ],
    );
  });

  test('reads one sequence of a batch from its offset', () => {
    const first = steps(sure('aab_'));
    const second = steps(sure('c_ca'));
    const batch = new Float32Array(first.length + second.length);
    batch.set(first, 0);
    batch.set(second, first.length);

    assert.equal(ctcGreedyDecode(batch, 0, 4, CLASSES, ALPHABET).text, 'ab');
    assert.equal(ctcGreedyDecode(batch, 4 * CLASSES, 4, CLASSES, ALPHABET).text, 'cca');
  });
});
