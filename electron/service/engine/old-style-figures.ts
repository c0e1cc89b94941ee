import type { DecodedSequence } from './ctc-decode';

/**
 * Reads an o among figures as the zero it is: "164o" for "1640". Old-style figures, the usual
 * numerals of book type before the twentieth century and of much text type since, set the zero
 * as a small round o-sized glyph, which the recogniser reads as a letter. An o or O is taken
 * for a zero only in a run of figures and o's that holds a figure and touches no other letter
 * ("H2O", "No" are left alone).
 */
export function zerosAmongFigures(sequence: DecodedSequence): DecodedSequence {
  const source = sequence.chars;
  if (!/\d/.test(sequence.text) || !/[oO]/.test(sequence.text)) return sequence;
  const chars = [...source];
  let changed = false;
  for (let start = 0; start < source.length;) {
    if (!isFigureOrO(source[start].char)) {
      start++;
      continue;
    }
    let end = start;
    while (end < source.length && isFigureOrO(source[end].char)) end++;
    const run = source.slice(start, end).map((c) => c.char);
    const touchesLetter = isLetter(source[start - 1]?.char) || isLetter(source[end]?.char);
    if (!touchesLetter && run.some(isFigure) && run.some((c) => !isFigure(c))) {
      for (let i = start; i < end; i++) {
        if (!isFigure(source[i].char)) chars[i] = { ...source[i], char: '0' };
      }
      changed = true;
    }
    start = end;
  }
  if (!changed) return sequence;
  return { ...sequence, chars, text: chars.map((c) => c.char).join('') };
}

function isFigure(char: string): boolean {
  return char >= '0' && char <= '9';
}

function isFigureOrO(char: string): boolean {
  return isFigure(char) || char === 'o' || char === 'O';
}

function isLetter(char: string | undefined): boolean {
  return char !== undefined && /\p{L}/u.test(char);
}
