// Accuracy metrics of the benchmark. Pure functions: no files, no processes.

/** Collapses every run of whitespace (spaces, tabs, line breaks) to one space and trims. */
export function foldWhitespace(text: string): string {
  return text.replace(/\s+/gu, ' ').trim();
}

/** Edit distance (insertions, deletions, substitutions) between two strings, by code point. */
export function levenshteinDistance(a: string, b: string): number {
  const source = Array.from(a, (char) => char.codePointAt(0) ?? 0);
  const target = Array.from(b, (char) => char.codePointAt(0) ?? 0);
  if (source.length === 0) return target.length;
  if (target.length === 0) return source.length;

  // Two rows of the dynamic-programming table are enough; pages run to a few thousand
  // characters, so the full table would be tens of millions of cells.
  let previous = new Uint32Array(target.length + 1);
  let current = new Uint32Array(target.length + 1);
  for (let j = 0; j <= target.length; j++) previous[j] = j;

  for (let i = 1; i <= source.length; i++) {
    current[0] = i;
    const sourceChar = source[i - 1];
    for (let j = 1; j <= target.length; j++) {
      const substitution = previous[j - 1] + (sourceChar === target[j - 1] ? 0 : 1);
      const deletion = previous[j] + 1;
      const insertion = current[j - 1] + 1;
      current[j] = Math.min(substitution, deletion, insertion);
    }
    [previous, current] = [current, previous];
  }
  return previous[target.length];
}

/** Character edits against a reference; CER is `edits / referenceChars`. */
export interface CharacterErrors {
  edits: number;
  referenceChars: number;
}

/** Compares whitespace-folded texts, so line breaks and spacing differences are one space. */
export function characterErrors(reference: string, hypothesis: string): CharacterErrors {
  const foldedReference = foldWhitespace(reference);
  return {
    edits: levenshteinDistance(foldedReference, foldWhitespace(hypothesis)),
    referenceChars: Array.from(foldedReference).length,
  };
}

/**
 * Character error rate of one or more documents: total edits over total reference
 * characters, so long pages weigh more than short ones. With no reference text it is 0 when
 * nothing was read either, and 1 (every character wrong) otherwise.
 */
export function characterErrorRate(errors: CharacterErrors | CharacterErrors[]): number {
  const all = Array.isArray(errors) ? errors : [errors];
  const edits = all.reduce((sum, e) => sum + e.edits, 0);
  const referenceChars = all.reduce((sum, e) => sum + e.referenceChars, 0);
  if (referenceChars === 0) return edits === 0 ? 0 : 1;
  return edits / referenceChars;
}

const EDGE_PUNCTUATION = /^\p{P}+|\p{P}+$/gu;

/** Lower-cased words with punctuation stripped from their ends; empty leftovers dropped. */
export function wordsOf(text: string): string[] {
  return text
    .toLowerCase()
    .split(/\s+/u)
    .map((word) => word.replace(EDGE_PUNCTUATION, ''))
    .filter((word) => word.length > 0);
}

/** Word multiset counts of one comparison; scores come from `bagOfWordsScores`. */
export interface WordMatches {
  matched: number;
  referenceWords: number;
  hypothesisWords: number;
}

/** Counts words common to both texts as multisets: order does not matter, repeats do. */
export function wordMatches(reference: string, hypothesis: string): WordMatches {
  const referenceWords = wordsOf(reference);
  const hypothesisWords = wordsOf(hypothesis);

  const remaining = new Map<string, number>();
  for (const word of referenceWords) remaining.set(word, (remaining.get(word) ?? 0) + 1);

  let matched = 0;
  for (const word of hypothesisWords) {
    const count = remaining.get(word) ?? 0;
    if (count === 0) continue;
    matched++;
    remaining.set(word, count - 1);
  }
  return {
    matched,
    referenceWords: referenceWords.length,
    hypothesisWords: hypothesisWords.length,
  };
}

export interface WordScores {
  precision: number;
  recall: number;
  f1: number;
}

/**
 * Bag-of-words precision, recall and F1, pooled over the given documents. Two empty texts
 * agree perfectly (1); an empty text against a non-empty one scores 0.
 */
export function bagOfWordsScores(matches: WordMatches | WordMatches[]): WordScores {
  const all = Array.isArray(matches) ? matches : [matches];
  const matched = all.reduce((sum, m) => sum + m.matched, 0);
  const referenceWords = all.reduce((sum, m) => sum + m.referenceWords, 0);
  const hypothesisWords = all.reduce((sum, m) => sum + m.hypothesisWords, 0);
  if (referenceWords === 0 && hypothesisWords === 0) return { precision: 1, recall: 1, f1: 1 };

  const precision = hypothesisWords === 0 ? 0 : matched / hypothesisWords;
  const recall = referenceWords === 0 ? 0 : matched / referenceWords;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1 };
}
