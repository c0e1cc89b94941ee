import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ctcGreedyDecode } from '../../../../electron/service/engine/ctc-decode';
import { restoreLigatureLetters } from '../../../../electron/service/engine/ligatures';

const ALPHABET = ['', 'f', 'i', 'l', 'n', 'e', 'o', ' '];

/**
 * Probabilities of a line, one step per entry: a character the step is sure of, or a map of
 * characters to probabilities (the blank takes what is left).
 */
function stepsOf(entries: (string | Record<string, number>)[]): Float32Array {
  const probs = new Float32Array(entries.length * ALPHABET.length);
  entries.forEach((entry, t) => {
    const shares = typeof entry === 'string' ? { [entry]: 1 } : entry;
    let left = 1;
    for (const [char, p] of Object.entries(shares)) {
      probs[t * ALPHABET.length + ALPHABET.indexOf(char)] = p;
      left -= p;
    }
    probs[t * ALPHABET.length] += left;
  });
  return probs;
}

function read(entries: (string | Record<string, number>)[]): string {
  const probs = stepsOf(entries);
  const steps = entries.length;
  const classes = ALPHABET.length;
  const decoded = ctcGreedyDecode(probs, 0, steps, classes, ALPHABET);
  return restoreLigatureLetters(decoded, probs, 0, steps, classes, ALPHABET).text;
}

describe('restoreLigatureLetters', () => {
  test('an i or l the step after an f gave a minority share is put back', () => {
    // "fine" read as "fne": the blank took the step the ligature's i had 0.3 of.
    assert.equal(read(['f', { i: 0.3 }, 'n', '', 'e']), 'fine');
    assert.equal(read(['f', '', { l: 0.08 }, 'o', 'e']), 'floe');
  });

  test('an f followed by letters with no share of an i or l is left as read', () => {
    assert.equal(read(['f', '', 'e', 'n']), 'fen');
    assert.equal(read(['f', { i: 0.02 }, 'e', 'n']), 'fen');
  });

  test('an i or l already read after the f is not doubled', () => {
    assert.equal(read(['f', 'i', { i: 0.4 }, 'n', 'e']), 'fine');
  });

  test('only the steps right after the f are looked at', () => {
    // Three steps on, an i's share belongs to another letter's edge, not to the f.
    assert.equal(read(['f', '', '', { i: 0.3 }, 'n']), 'fn');
  });

  test('the put-back letter is placed at its step, for word boxes and spacing', () => {
    const probs = stepsOf(['f', { l: 0.2 }, 'o', '', 'e']);
    const decoded = ctcGreedyDecode(probs, 0, 5, ALPHABET.length, ALPHABET);
    const restored = restoreLigatureLetters(decoded, probs, 0, 5, ALPHABET.length, ALPHABET);
    assert.deepEqual(
      restored.chars.map((c) => [c.char, c.firstStep]),
      [
        ['f', 0],
        ['l', 1],
        ['o', 2],
        ['e', 4],
      ],
    );
  });
});
