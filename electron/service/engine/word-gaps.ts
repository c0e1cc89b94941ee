import type { DecodedChar, DecodedSequence } from './ctc-decode';
import { LINE_HEIGHT_PX } from './line-sampler';

/**
 * Blank stretch, as a share of the line's ink height, that separates two words. Letters of one
 * word stand about 0.05 to 0.15 ink heights apart; a word space in proportional type is about
 * 0.25, in the monospace of receipts 0.7 and more.
 */
const WORD_GAP_OF_INK_HEIGHT = 0.3;
/** Least contrast, in normalised units (-1..1), between ink and paper for gaps to be judged. */
const MIN_CONTRAST = 0.3;

/** Which columns of a sampled line hold ink, and how tall the ink is, in pixels. */
export interface InkProfile {
  inked: Uint8Array;
  inkHeightPx: number;
  /** Which pixels are ink, row by row (48 rows of the line's width); 1 for ink. */
  inkMask: Uint8Array;
  /** How many pixels of each of the 48 rows are ink. */
  inkPerRowPx: Uint16Array;
}

/**
 * Reads the ink profile of a line sampled into a normalised tensor slot (3 planes of 48 rows x
 * `slotWidth`), over its first `width` columns. Null when the line has too little contrast.
 */
export function inkProfile(
  slot: Float32Array,
  slotWidth: number,
  width: number,
): InkProfile | null {
  const plane = LINE_HEIGHT_PX * slotWidth;
  const gray = new Float32Array(LINE_HEIGHT_PX * width);
  for (let y = 0; y < LINE_HEIGHT_PX; y++) {
    for (let x = 0; x < width; x++) {
      const at = y * slotWidth + x;
      gray[y * width + x] = (slot[at] + slot[at + plane] + slot[at + 2 * plane]) / 3;
    }
  }
  const [ink, median, paper] = quantiles(gray, [0.02, 0.5, 0.9]);
  if (paper - ink < MIN_CONTRAST) return null;
  // Light text on a dark ground: the median sits nearer the dark end.
  const darkText = median - ink > paper - median;
  const threshold = (ink + paper) / 2;
  const isInk = (v: number) => (darkText ? v < threshold : v > threshold);

  const inked = new Uint8Array(width);
  const inkMask = new Uint8Array(LINE_HEIGHT_PX * width);
  const inkPerRowPx = new Uint16Array(LINE_HEIGHT_PX);
  let top = LINE_HEIGHT_PX;
  let bottom = -1;
  for (let y = 0; y < LINE_HEIGHT_PX; y++) {
    let rowHasInk = false;
    for (let x = 0; x < width; x++) {
      if (!isInk(gray[y * width + x])) continue;
      inked[x] = 1;
      inkMask[y * width + x] = 1;
      inkPerRowPx[y] += 1;
      rowHasInk = true;
    }
    if (rowHasInk) {
      top = Math.min(top, y);
      bottom = y;
    }
  }
  if (bottom < 0) return null;
  return { inked, inkHeightPx: bottom - top + 1, inkMask, inkPerRowPx };
}

/** Histogram bins over the normalised range -1..1: quantiles to within 0.004. */
const QUANTILE_BINS = 512;

/**
 * Quantiles of values in -1..1, from a histogram: a sort of every pixel of every line cost
 * about 6% of the recogniser's own time.
 */
function quantiles(values: Float32Array, shares: number[]): number[] {
  const counts = new Uint32Array(QUANTILE_BINS);
  for (const value of values) {
    const bin = Math.floor(((value + 1) / 2) * QUANTILE_BINS);
    counts[Math.min(QUANTILE_BINS - 1, Math.max(0, bin))] += 1;
  }
  return shares.map((share) => {
    const rank = Math.floor(values.length * share);
    let seen = 0;
    for (let bin = 0; bin < QUANTILE_BINS; bin++) {
      seen += counts[bin];
      if (seen > rank) return ((bin + 0.5) / QUANTILE_BINS) * 2 - 1;
    }
    return 1;
  });
}

/**
 * Puts back word spaces the recogniser left out (it was trained mostly on Chinese, where
 * there are none): between two characters read without a space, a blank stretch of the line
 * wider than a word gap becomes a space. A word gap is judged against the line itself (well
 * above its usual letter spacing, and near the gaps where the model did read spaces) or, in any
 * case, against its ink height. Two letters no further apart than the line's letter pitch
 * allows stay one word when the model saw no space there (the narrow letters of monospaced
 * receipts), and a mark joining two digits ("4.90", "8:13") takes no space.
 *
 * KNOWN LIMITATION: in proportional capitals, a word space beside a narrow letter that the
 * model gives under 5% is lost ("DEC21" for "DEC 21" on a form).
 */
export function restoreWordSpaces(
  sequence: DecodedSequence,
  profile: InkProfile,
  stepWidthPx: number,
): DecodedSequence {
  const centre = (c: DecodedChar) => charCentrePx(c, stepWidthPx);
  const source = sequence.chars;
  const gapAfter = source.map((char, i) => {
    const next = source[i + 1];
    if (!next || char.char === ' ' || next.char === ' ') return -1;
    return longestBlankRun(profile.inked, centre(char), centre(next));
  });
  const letterGaps = gapAfter.filter((g) => g >= 0);
  const spaceGaps = source.flatMap((char, i) => {
    const next = source[i + 2];
    if (source[i + 1]?.char !== ' ' || !next || char.char === ' ') return [];
    return [longestBlankRun(profile.inked, centre(char), centre(next))];
  });
  const minGapPx = wordGapThreshold(letterGaps, spaceGaps, profile.inkHeightPx);
  const floorPx = WORD_GAP_FLOOR_OF_INK_HEIGHT * profile.inkHeightPx;
  const absolutePx = WORD_GAP_OF_INK_HEIGHT * profile.inkHeightPx;
  const pitchPx = letterPitchPx(source, stepWidthPx);

  const chars: DecodedChar[] = [];
  source.forEach((char, i) => {
    chars.push(char);
    const next = source[i + 1];
    const spaceHinted = (next?.spaceBefore ?? 0) >= SPACE_HINT_PROBABILITY;
    // Tabular digits stand wide apart inside one number: only a clear gap splits two of them.
    const digits = next !== undefined && isDigit(char.char) && isDigit(next.char);
    const needed = digits ? absolutePx : minGapPx;
    const wide = gapAfter[i] >= needed || (!digits && spaceHinted && gapAfter[i] >= floorPx);
    if (!wide || joinsDigits(source, i)) return;
    const unhinted = (next.spaceBefore ?? 0) < FAINT_SPACE_HINT_PROBABILITY;
    if (unhinted && withinLetterPitch(char, next, pitchPx, stepWidthPx)) return;
    chars.push({ char: ' ', confidence: 1, firstStep: char.lastStep, lastStep: next.firstStep });
  });
  if (chars.length === source.length) return sequence;
  return { ...sequence, chars, text: chars.map((c) => c.char).join('') };
}

/** Marks that join the parts of one number: a decimal point, a time's colon, a date's dash or slash. */
const NUMBER_JOINERS = new Set(['.', ':', '-', '/']);

/**
 * Whether the gap after `chars[i]` lies beside a mark that joins two digits ("4.90", "8:13",
 * "04-05"): receipts print a full stop or a colon in a whole monospaced cell, whose blank
 * sides look like word gaps, but such a mark does not end a word when a digit follows it.
 */
function joinsDigits(chars: DecodedChar[], i: number): boolean {
  const joiner = (k: number) =>
    NUMBER_JOINERS.has(chars[k]?.char) &&
    isDigit(chars[k - 1]?.char ?? '') &&
    isDigit(chars[k + 1]?.char ?? '');
  return joiner(i) || joiner(i + 1);
}

/**
 * The line's letter pitch: the median distance, in sampled px, between the centres of
 * neighbouring characters read without a space between them; null on lines too short to judge.
 */
function letterPitchPx(chars: DecodedChar[], stepWidthPx: number): number | null {
  const distances: number[] = [];
  for (let i = 0; i + 1 < chars.length; i++) {
    if (chars[i].char === ' ' || chars[i + 1].char === ' ') continue;
    distances.push(charCentrePx(chars[i + 1], stepWidthPx) - charCentrePx(chars[i], stepWidthPx));
  }
  return distances.length < 3 ? null : median(distances);
}

/**
 * Letters whose centres stand at most this many times the line's letter pitch apart are one
 * word: in monospaced type a word space adds a whole cell, taking the centres two pitches
 * apart, and the halfway mark leaves room for the recogniser's placing of a character within
 * its cell (one time step, a quarter to a half of a cell).
 */
const WORD_SPACE_OF_PITCH = 1.5;

/**
 * Whether two letters or digits stand too close for a word space between them: in the
 * monospaced type of receipts a narrow letter (I, L, T) leaves a blank beside it as wide as a
 * word gap ("MODELL ING", "F ISH"), yet its cell is as wide as any other. Marks are left out:
 * the recogniser places a narrow mark's character less surely within its cell.
 */
function withinLetterPitch(
  char: DecodedChar,
  next: DecodedChar,
  pitchPx: number | null,
  stepWidthPx: number,
): boolean {
  if (pitchPx === null || !isAlphanumeric(char.char) || !isAlphanumeric(next.char)) return false;
  const distancePx = charCentrePx(next, stepWidthPx) - charCentrePx(char, stepWidthPx);
  return distancePx <= WORD_SPACE_OF_PITCH * pitchPx;
}

function isAlphanumeric(char: string): boolean {
  return /^[\p{L}\p{N}]$/u.test(char);
}

/** Marks that close what comes before them: no space goes before them in Latin-script text. */
const CLOSING_MARKS = new Set([',', '.', ';', ':', '!', '?', ')', ']', '}', '”']);
/** Marks that open what follows them: no space goes after them. */
const OPENING_MARKS = new Set(['(', '[', '{', '“']);

/**
 * Drops spaces before closing punctuation, after opening brackets and quotes, and around an
 * em dash between two words, read by the model or put back from a gap: old book type sets a
 * visible gap before ; : ! ?, inside quotes and around dashes, which modern text does not
 * keep. (French spacing before ; : ! ? and spaced dashes are lost too; a dash that starts a
 * line, as in a list, keeps the space after it.)
 */
export function tidyPunctuationSpaces(sequence: DecodedSequence): DecodedSequence {
  const source = sequence.chars;
  const chars = source.filter((char, i) => {
    if (char.char !== ' ') return true;
    const before = source[i - 1]?.char;
    const after = source[i + 1]?.char;
    if (after !== undefined && CLOSING_MARKS.has(after)) return false;
    if (closesUpToDash(source, i)) return false;
    return before === undefined || !OPENING_MARKS.has(before);
  });
  if (chars.length === source.length) return sequence;
  return { ...sequence, chars, text: chars.map((c) => c.char).join('') };
}

/** Whether the space at `i` stands beside an em dash that has words on both sides. */
function closesUpToDash(chars: DecodedChar[], i: number): boolean {
  const word = (k: number) => chars[k] !== undefined && chars[k].char !== ' ';
  const dashAt = (k: number) => chars[k]?.char === '—';
  // "word — word", "word —word": the dash follows; "word— word": it went before.
  if (dashAt(i + 1)) {
    const far = chars[i + 2]?.char === ' ' ? i + 3 : i + 2;
    return word(i - 1) && word(far);
  }
  if (dashAt(i - 1)) {
    const far = chars[i - 2]?.char === ' ' ? i - 3 : i - 2;
    return word(i + 1) && word(far);
  }
  return false;
}

/**
 * Pairs of single quote marks that stand for one double quote: the recogniser often reads a
 * printed double quote as two single ones ("Hall,''" for "Hall,”"); no text means two
 * apostrophes in a row.
 */
const DOUBLED_QUOTES = new Map([
  ["''", '"'],
  ['‘‘', '“'],
  ["‘'", '“'],
  ["'‘", '“'],
  ['’’', '”'],
  ["’'", '”'],
  ["'’", '”'],
]);

/** Reads two single quote marks in a row as the double quote they stand for. */
export function joinDoubledQuotes(sequence: DecodedSequence): DecodedSequence {
  const source = sequence.chars;
  const chars: DecodedChar[] = [];
  for (let i = 0; i < source.length; i++) {
    const next = source[i + 1];
    const double = next && DOUBLED_QUOTES.get(source[i].char + next.char);
    if (!double) {
      chars.push(source[i]);
      continue;
    }
    chars.push({
      ...source[i],
      char: double,
      lastStep: next.lastStep,
      confidence: (source[i].confidence + next.confidence) / 2,
    });
    i++;
  }
  if (chars.length === source.length) return sequence;
  return { ...sequence, chars, text: chars.map((c) => c.char).join('') };
}

/** Marks the recogniser reads the pieces of a long dash as. */
const DASHES = new Set(['-', '‐', '–', '—']);
/** Longer runs of dashes are drawn rules (receipts), kept as they are. */
const MAX_DASH_RUN = 3;

/**
 * Reads a run of two or three dashes as the em dash it stands for: the recogniser splits a
 * printed em dash into '--' or '—-', and typewritten text writes one so.
 */
export function joinDashRuns(sequence: DecodedSequence): DecodedSequence {
  const source = sequence.chars;
  const chars: DecodedChar[] = [];
  for (let i = 0; i < source.length;) {
    let end = i;
    while (end < source.length && DASHES.has(source[end].char)) end++;
    const run = end - i;
    if (run < 2 || run > MAX_DASH_RUN) {
      chars.push(...source.slice(i, Math.max(end, i + 1)));
      i = Math.max(end, i + 1);
      continue;
    }
    const pieces = source.slice(i, end);
    chars.push({
      ...pieces[0],
      char: '—',
      lastStep: pieces[run - 1].lastStep,
      confidence: pieces.reduce((sum, c) => sum + c.confidence, 0) / run,
    });
    i = end;
  }
  if (chars.length === source.length) return sequence;
  return { ...sequence, chars, text: chars.map((c) => c.char).join('') };
}

/** No gap under this share of the ink height is a word gap: blurred small type has gaps of 1 px. */
const WORD_GAP_FLOOR_OF_INK_HEIGHT = 0.15;
/**
 * The recogniser often gives a word space some probability without choosing it; above this,
 * a gap over the floor becomes a space.
 */
const SPACE_HINT_PROBABILITY = 0.35;
/**
 * Inside a word it reads as one, the recogniser gives a space next to no probability; between
 * words it has not split, a few percent or more. Under this, letters within the line's pitch
 * stay one word.
 */
const FAINT_SPACE_HINT_PROBABILITY = 0.05;
/** Letter gaps this many times the line's median letter gap are word gaps. */
const WORD_GAP_OF_LETTER_GAP = 2.5;
/** Gaps at least this share of the gaps the model read as spaces are word gaps too. */
const WORD_GAP_OF_READ_SPACE = 0.6;

export function wordGapThreshold(
  letterGaps: number[],
  spaceGaps: number[],
  inkHeightPx: number,
): number {
  const absolute = WORD_GAP_OF_INK_HEIGHT * inkHeightPx;
  if (letterGaps.length < 3) return absolute;
  const fromLetters = WORD_GAP_OF_LETTER_GAP * median(letterGaps) + 1;
  const fromSpaces = spaceGaps.length > 0 ? WORD_GAP_OF_READ_SPACE * median(spaceGaps) : 0;
  const floor = WORD_GAP_FLOOR_OF_INK_HEIGHT * inkHeightPx;
  return Math.min(absolute, Math.max(fromLetters, fromSpaces, floor));
}

/** Where a decoded character sits on its line: the middle of its time steps, in sampled px. */
export function charCentrePx(char: DecodedChar, stepWidthPx: number): number {
  return ((char.firstStep + char.lastStep + 1) / 2) * stepWidthPx;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1];
}

function longestBlankRun(inked: Uint8Array, fromPx: number, toPx: number): number {
  let longest = 0;
  let run = 0;
  const end = Math.min(inked.length, Math.floor(toPx));
  for (let x = Math.max(0, Math.ceil(fromPx)); x < end; x++) {
    run = inked[x] ? 0 : run + 1;
    if (run > longest) longest = run;
  }
  return longest;
}

function isDigit(char: string): boolean {
  return char >= '0' && char <= '9';
}
