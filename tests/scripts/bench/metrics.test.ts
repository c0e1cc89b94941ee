import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  bagOfWordsScores,
  characterErrorRate,
  characterErrors,
  foldWhitespace,
  levenshteinDistance,
  wordMatches,
  wordsOf,
} from '../../../scripts/bench/metrics';

describe('foldWhitespace', () => {
  it('collapses runs of spaces, tabs and line breaks and trims the ends', () => {
    assert.equal(foldWhitespace('  one\ttwo \n\n three\r\n'), 'one two three');
  });

  it('turns a text of whitespace only into the empty string', () => {
    assert.equal(foldWhitespace(' \n\t '), '');
  });
});

describe('levenshteinDistance', () => {
  it('counts substitutions, insertions and deletions', () => {
    assert.equal(levenshteinDistance('kitten', 'sitting'), 3);
    assert.equal(levenshteinDistance('flaw', 'lawn'), 2);
  });

  it('is the other length when one side is empty, and 0 for equal strings', () => {
    assert.equal(levenshteinDistance('', 'abc'), 3);
    assert.equal(levenshteinDistance('abcd', ''), 4);
    assert.equal(levenshteinDistance('same', 'same'), 0);
  });

  it('counts a character outside the Basic Multilingual Plane as one', () => {
    // '𝔄' is two UTF-16 code units; by code units this would cost 2.
    assert.equal(levenshteinDistance('a𝔄b', 'axb'), 1);
  });

  it('is symmetric', () => {
    assert.equal(levenshteinDistance('receipt total', 'reciept totl'), 3);
    assert.equal(levenshteinDistance('reciept totl', 'receipt total'), 3);
  });
});

describe('characterErrorRate', () => {
  it('is edits over reference characters after folding whitespace', () => {
    const errors = characterErrors('Hello\n  world', 'Hello world');
    assert.deepEqual(errors, { edits: 0, referenceChars: 11 });
    assert.equal(characterErrorRate(errors), 0);

    const oneWrong = characterErrors('abcd', 'abxd');
    assert.equal(characterErrorRate(oneWrong), 0.25);
  });

  it('can exceed 1 when the hypothesis holds much more than the reference', () => {
    assert.equal(characterErrorRate(characterErrors('ab', 'abcdef')), 2);
  });

  it('pools documents by characters, so a long page weighs more than a short one', () => {
    const short = characterErrors('ab', 'xb'); // 1 edit of 2
    const long = characterErrors('abcdefgh', 'abcdefgh'); // 0 edits of 8
    assert.equal(characterErrorRate([short, long]), 0.1);
  });

  it('handles an empty reference', () => {
    assert.equal(characterErrorRate(characterErrors('', '  ')), 0);
    assert.equal(characterErrorRate(characterErrors('', 'noise')), 1);
  });
});

describe('wordsOf', () => {
  it('lower-cases and strips punctuation at word edges only', () => {
    assert.deepEqual(wordsOf('"Total:" RM9.00, (cash) -- e-mail'), [
      'total',
      'rm9.00',
      'cash',
      'e-mail',
    ]);
  });
});

describe('bagOfWordsScores', () => {
  it('ignores order but counts repeated words', () => {
    const matches = wordMatches('the cat saw the dog', 'dog the saw cat');
    assert.deepEqual(matches, { matched: 4, referenceWords: 5, hypothesisWords: 4 });
    const scores = bagOfWordsScores(matches);
    assert.equal(scores.precision, 1);
    assert.equal(scores.recall, 0.8);
    assert.ok(Math.abs(scores.f1 - 8 / 9) < 1e-12);
  });

  it('matches words regardless of case and edge punctuation', () => {
    assert.equal(bagOfWordsScores(wordMatches('TOTAL: 9.00', 'total 9.00.')).f1, 1);
  });

  it('scores a wrong reading as zero', () => {
    assert.deepEqual(bagOfWordsScores(wordMatches('alpha beta', 'gamma')), {
      precision: 0,
      recall: 0,
      f1: 0,
    });
  });

  it('pools several documents before computing the scores', () => {
    const pooled = bagOfWordsScores([
      wordMatches('a b c d', 'a b c d'), // 4 of 4
      wordMatches('e f', 'x y z w'), // 0 of 2, 4 read
    ]);
    assert.equal(pooled.precision, 0.5);
    assert.equal(pooled.recall, 4 / 6);
  });

  it('treats two empty texts as agreeing and one empty side as a miss', () => {
    assert.equal(bagOfWordsScores(wordMatches('', '')).f1, 1);
    assert.equal(bagOfWordsScores(wordMatches('words here', '')).f1, 0);
    assert.equal(bagOfWordsScores(wordMatches('', 'noise')).f1, 0);
  });
});
