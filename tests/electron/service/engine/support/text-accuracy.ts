/** What a user checks of a reading: are the words there, and how many characters are wrong. */
import assert from 'node:assert/strict';
import {
  bagOfWordsScores,
  characterErrorRate,
  characterErrors,
  wordMatches,
} from '../../../../../scripts/bench/metrics';

export interface TextAccuracy {
  /** Whitespace-folded character error rate, 0..1. */
  cer: number;
  /** Bag-of-words scores, 0..1. */
  recall: number;
  f1: number;
}

export function textAccuracy(groundTruth: string, text: string): TextAccuracy {
  const scores = bagOfWordsScores(wordMatches(groundTruth, text));
  return {
    cer: characterErrorRate(characterErrors(groundTruth, text)),
    recall: scores.recall,
    f1: scores.f1,
  };
}

/** Word recall of at least 0.9 and at most a few percent of characters wrong. */
export function assertReadsLike(text: string, groundTruth: string, what: string): void {
  const { cer, recall } = textAccuracy(groundTruth, text);
  const shown = text.length > 300 ? `${text.slice(0, 300)}…` : text;
  assert.ok(
    recall >= 0.9 && cer <= 0.05,
    `${what}: word recall ${recall.toFixed(3)} (want >= 0.9), CER ${(cer * 100).toFixed(1)}% ` +
      `(want <= 5%); read:\n${shown}`,
  );
}
