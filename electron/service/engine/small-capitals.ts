import type { DecodedChar, DecodedSequence } from './ctc-decode';
import { measureLetters, type MeasuredLetter } from './letter-case';
import type { InkProfile } from './word-gaps';
import { median } from './word-gaps';

/**
 * Capitals that reach the cap height and stand on the baseline: a word's first letter is
 * measured against its followers only when it is one of these (J and Q reach below the line).
 */
const BASELINE_CAPITALS = new Set([...'ABCDEFGHIKLMNOPRSTUVWXYZ']);
/** A small capital stands at most this share of its word's first capital high... */
const MAX_SMALL_CAPITAL_SHARE = 0.85;
/** ...and at least this share (lower marks are punctuation or broken ink). */
const MIN_SMALL_CAPITAL_SHARE = 0.5;
/** How far, as a share of the first capital's height, letters may stand from one baseline. */
const BASELINE_TOLERANCE = 0.1;
/** How far, as a share of their median, the small capitals' heights may differ. */
const HEIGHT_TOLERANCE = 0.12;
/**
 * Least height, in page pixels, of a small capital that is measured: below it, one pixel of
 * blur or threshold is a tenth of the letter's height.
 */
const MIN_SMALL_CAPITAL_PAGE_PX = 12;

/**
 * Writes words set in small capitals the way they are read: "Edwin" for a word printed as a
 * full capital E followed by capitals of x-height. Old books set names, the first words of a
 * chapter and emphasised terms so; the small capitals are lower-case letters in another form
 * (transcriptions and text versions of such books write them so), but the recogniser, judging
 * each letter by its shape, reads them as capitals. A word is rewritten only when its first
 * letter and at least one capital after it stand apart from their neighbours to be measured,
 * every measured capital after the first is clearly shorter than it, all on one baseline, and
 * of one height; a word of capitals of one height (a heading, an acronym) is left as read.
 * `sampledToPagePx` is the size of one sampled pixel on the page.
 */
export function lowerSmallCapitals(
  sequence: DecodedSequence,
  profile: InkProfile,
  stepWidthPx: number,
  sampledToPagePx: number,
): DecodedSequence {
  const source = sequence.chars;
  const words = capitalWords(source);
  if (words.length === 0) return sequence;

  const wanted = new Set(words.flat());
  const measured = new Map<number, MeasuredLetter>();
  for (const letter of measureLetters(source, profile, stepWidthPx, (i) => wanted.has(i))) {
    measured.set(letter.index, letter);
  }
  const chars = [...source];
  let changed = false;
  for (const word of words) {
    if (!isSmallCapitalWord(word, measured, sampledToPagePx)) continue;
    for (const index of word.slice(1)) {
      chars[index] = { ...source[index], char: source[index].char.toLowerCase() };
    }
    changed = true;
  }
  if (!changed) return sequence;
  return { ...sequence, chars, text: chars.map((c) => c.char).join('') };
}

/**
 * The letters, by index, of each word that starts with a capital and holds another capital
 * after it ("EDWIN", "ExPREssION"): the only words small capitals can be in.
 */
function capitalWords(chars: DecodedChar[]): number[][] {
  const words: number[][] = [];
  let current: number[] = [];
  const close = () => {
    const first = current.length > 0 ? chars[current[0]].char : '';
    const capitalsAfter = current.slice(1).filter((i) => isCapital(chars[i].char)).length;
    if (BASELINE_CAPITALS.has(first) && capitalsAfter > 0) words.push(current);
    current = [];
  };
  chars.forEach((c, i) => {
    if (/\p{L}/u.test(c.char)) current.push(i);
    else close();
  });
  close();
  return words;
}

function isSmallCapitalWord(
  word: number[],
  measured: Map<number, MeasuredLetter>,
  sampledToPagePx: number,
): boolean {
  const first = measured.get(word[0]);
  if (!first) return false;
  const capitalPx = first.bottomRow - first.topRow + 1;
  const rest = word.slice(1).flatMap((i) => measured.get(i) ?? []);
  if (rest.length === 0) return false;

  const heights = rest.map((l) => l.bottomRow - l.topRow + 1);
  const smallPx = median(heights);
  if (smallPx * sampledToPagePx < MIN_SMALL_CAPITAL_PAGE_PX) return false;
  const onBaseline = rest.every(
    (l) => Math.abs(l.bottomRow - first.bottomRow) <= BASELINE_TOLERANCE * capitalPx,
  );
  const small = heights.every(
    (h) => h <= MAX_SMALL_CAPITAL_SHARE * capitalPx && h >= MIN_SMALL_CAPITAL_SHARE * capitalPx,
  );
  const even = heights.every((h) => Math.abs(h - smallPx) <= HEIGHT_TOLERANCE * smallPx);
  return onBaseline && small && even;
}

function isCapital(char: string): boolean {
  return char !== char.toLowerCase();
}
