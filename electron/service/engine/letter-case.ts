import type { DecodedChar, DecodedSequence } from './ctc-decode';
import { LINE_HEIGHT_PX } from './line-sampler';
import { charCentrePx, median, type InkProfile } from './word-gaps';

/**
 * Letters whose capital is their small letter drawn taller, which the recogniser, looking at
 * one letter's shape, often reads in the wrong case ("HellO" as "Hello"). Letters with an
 * ascender or a descender in one case (k, p, y) are not here: their height does not tell.
 */
const SIZE_ONLY_LETTERS = new Set(['c', 'o', 's', 'u', 'v', 'w', 'x', 'z']);
/** Small letters that stand between the x-height and the baseline and have no capital twin. */
const X_HEIGHT_LETTERS = new Set(['a', 'e', 'm', 'n', 'r']);
/**
 * Letters that reach the cap or ascender height and sit on the baseline: capitals other than
 * the size-only ones and those with a tail below the line (J, Q), ascender letters (not t,
 * which stops short, nor i and j, whose dots float), and lining figures.
 */
const TALL_LETTERS = new Set([...'ABDEFGHKLMNPRTY', 'b', 'd', 'f', 'h', 'k', 'l', ...'0123456789']);

/** Least number of measured letters of each height a line needs for its case to be judged. */
const MIN_REFERENCES = 2;
/** Most letters of each height measured on one line: enough for a steady median. */
const MAX_REFERENCES = 12;
/** How far, as a share of a reference height, a letter may stand from it and still match it. */
const HEIGHT_TOLERANCE = 0.1;
/** Share of a line's reference letters that must agree on their height for it to be judged. */
const MIN_AGREEING_SHARE = 0.8;
/** The least ratio between tall and x-height letters that tells the two apart. */
const MIN_TALL_TO_X_HEIGHT = 1.25;
/**
 * Least x-height, in page pixels, of a line whose letters are measured: below it, one pixel of
 * blur or threshold is a tenth of a letter's height, as much as the tolerance.
 */
const MIN_X_HEIGHT_PAGE_PX = 12;
/** Rows holding at least this share of the busiest row's ink form the line's core band. */
const CORE_BAND_SHARE = 0.5;

/** A letter that stands alone in its run of inked columns, and where its ink reaches. */
export interface MeasuredLetter {
  index: number;
  /** First and last rows of its ink, in sampled pixels from the top of the line. */
  topRow: number;
  bottomRow: number;
}

/**
 * Sets the case of letters that differ from their capital only by size (o/O, c/C, s/S, ...) by
 * the height of their ink, against the line's other letters: an "o" as tall as the line's
 * capitals and ascenders, clearly taller than its x-height letters and standing on the same
 * baseline, is an "O", and the reverse. Only letters whose ink stands apart from their
 * neighbours are measured, and a line is judged only when it holds enough letters of both
 * heights, far enough apart, at a size where a pixel does not matter; anything else is left as
 * read. `sampledToPagePx` is the size of one sampled pixel on the page.
 */
export function correctLetterCase(
  sequence: DecodedSequence,
  profile: InkProfile,
  stepWidthPx: number,
  sampledToPagePx: number,
): DecodedSequence {
  const source = sequence.chars;
  if (!source.some((c) => SIZE_ONLY_LETTERS.has(c.char.toLowerCase()))) return sequence;
  const count = (set: Set<string>) => source.filter((c) => set.has(c.char)).length;
  if (count(X_HEIGHT_LETTERS) < MIN_REFERENCES || count(TALL_LETTERS) < MIN_REFERENCES) {
    return sequence;
  }

  const letters = measureLoneLetters(source, profile, stepWidthPx);
  const heightOf = (l: MeasuredLetter) => l.bottomRow - l.topRow + 1;
  const references = (set: Set<string>) => letters.filter((l) => set.has(source[l.index].char));
  const xHeightRefs = references(X_HEIGHT_LETTERS);
  const tallRefs = references(TALL_LETTERS);
  if (xHeightRefs.length < MIN_REFERENCES || tallRefs.length < MIN_REFERENCES) return sequence;
  const xHeightPx = median(xHeightRefs.map(heightOf));
  const tallPx = median(tallRefs.map(heightOf));
  if (!agree(xHeightRefs.map(heightOf), xHeightPx) || !agree(tallRefs.map(heightOf), tallPx)) {
    return sequence;
  }
  if (tallPx < MIN_TALL_TO_X_HEIGHT * xHeightPx) return sequence;
  if (xHeightPx * sampledToPagePx < MIN_X_HEIGHT_PAGE_PX) return sequence;
  const baselineRow = median([...xHeightRefs, ...tallRefs].map((l) => l.bottomRow));

  const near = (valuePx: number, referencePx: number, scalePx: number) =>
    Math.abs(valuePx - referencePx) <= HEIGHT_TOLERANCE * scalePx;
  const chars = [...source];
  let changed = false;
  for (const letter of letters) {
    const { char } = source[letter.index];
    if (!SIZE_ONLY_LETTERS.has(char.toLowerCase())) continue;
    const heightPx = heightOf(letter);
    if (!near(letter.bottomRow, baselineRow, tallPx)) continue;
    const isCapital = char !== char.toLowerCase();
    const looksTall =
      near(heightPx, tallPx, tallPx) && heightPx >= MIN_TALL_TO_X_HEIGHT * xHeightPx;
    const looksSmall =
      near(heightPx, xHeightPx, xHeightPx) && heightPx * MIN_TALL_TO_X_HEIGHT <= tallPx;
    const toCapital = !isCapital && looksTall && !mayBeLongS(source, letter.index);
    const toSmall = isCapital && looksSmall;
    if (!toCapital && !toSmall) continue;
    const corrected = toCapital ? char.toUpperCase() : char.toLowerCase();
    chars[letter.index] = { ...source[letter.index], char: corrected };
    changed = true;
  }
  if (!changed) return sequence;
  return { ...sequence, chars, text: chars.map((c) => c.char).join('') };
}

/**
 * Whether most heights lie within the tolerance of their median: where they do not, the
 * letters are broken or run together (worn receipt print, bad scans) and none can be trusted.
 */
function agree(heightsPx: number[], medianPx: number): boolean {
  const close = heightsPx.filter((h) => Math.abs(h - medianPx) <= HEIGHT_TOLERANCE * medianPx);
  return close.length >= MIN_AGREEING_SHARE * heightsPx.length;
}

/**
 * Whether an "s" after a small letter may be the long s of old print (ſ), which stands as
 * tall as an f and is read, and transcribed, as "s".
 */
function mayBeLongS(chars: DecodedChar[], index: number): boolean {
  if (chars[index].char !== 's') return false;
  const before = chars[index - 1]?.char ?? '';
  return before !== before.toUpperCase();
}

/** Letters whose height can be judged against the x-height or cap height of their line. */
function measureLoneLetters(
  chars: DecodedChar[],
  profile: InkProfile,
  stepWidthPx: number,
): MeasuredLetter[] {
  // Every letter to correct, and enough of each kind of reference for a steady median.
  let xHeightRefs = 0;
  let tallRefs = 0;
  return measureLetters(chars, profile, stepWidthPx, (index) => {
    const { char } = chars[index];
    return (
      X_HEIGHT_LETTERS.has(char) ||
      TALL_LETTERS.has(char) ||
      SIZE_ONLY_LETTERS.has(char.toLowerCase())
    );
  }).filter(({ index }) => {
    const { char } = chars[index];
    const xHeight = X_HEIGHT_LETTERS.has(char);
    const tall = TALL_LETTERS.has(char);
    if ((xHeight && xHeightRefs >= MAX_REFERENCES) || (tall && tallRefs >= MAX_REFERENCES)) {
      return false;
    }
    if (xHeight) xHeightRefs++;
    if (tall) tallRefs++;
    return true;
  });
}

/**
 * The `wanted` letters that have a run of inked columns to themselves, with how far their ink
 * reaches. A character is placed at the middle of its time steps, and belongs to the run under
 * that point or, in a gap, to the nearest run within one step. Only ink that reaches into the
 * line's core band counts, not bits of the lines above and below that the crop took in.
 */
export function measureLetters(
  chars: DecodedChar[],
  profile: InkProfile,
  stepWidthPx: number,
  wanted: (index: number) => boolean,
): MeasuredLetter[] {
  const runs = inkRuns(profile.inked);
  const owners = new Array<number>(runs.length).fill(0);
  let first = 0;
  const runOf = chars.map((char) => {
    if (char.char === ' ') return -1;
    // Characters come left to right: runs passed by one are passed by all that follow.
    const centrePx = charCentrePx(char, stepWidthPx);
    while (first < runs.length && runs[first][1] + stepWidthPx < centrePx) first++;
    const run = nearestRun(runs, first, centrePx, stepWidthPx);
    if (run >= 0) owners[run] += 1;
    return run;
  });

  const core = coreBand(profile);
  const letters: MeasuredLetter[] = [];
  runOf.forEach((run, index) => {
    if (run < 0 || owners[run] !== 1 || !wanted(index)) return;
    const reach = glyphReach(profile, runs[run], core);
    if (reach) letters.push({ index, ...reach });
  });
  return letters;
}

/** The rows, first and last, where the line's ink is densest: its x-height band, mostly. */
function coreBand(profile: InkProfile): { topRow: number; bottomRow: number } {
  const rowInk = profile.inkPerRowPx;
  let busiest = 0;
  for (let y = 1; y < LINE_HEIGHT_PX; y++) if (rowInk[y] > rowInk[busiest]) busiest = y;
  const enough = CORE_BAND_SHARE * rowInk[busiest];
  let topRow = busiest;
  let bottomRow = busiest;
  while (topRow > 0 && rowInk[topRow - 1] >= enough) topRow--;
  while (bottomRow < LINE_HEIGHT_PX - 1 && rowInk[bottomRow + 1] >= enough) bottomRow++;
  return { topRow, bottomRow };
}

/**
 * The first and last rows reached, over columns [from, to), by ink that grows out of the core
 * band (a letter's glyph, without the specks and the bits of other lines around it); null when
 * the core band holds no ink there.
 */
function glyphReach(
  profile: InkProfile,
  run: [number, number],
  core: { topRow: number; bottomRow: number },
): { topRow: number; bottomRow: number } | null {
  const [from, to] = run;
  const width = profile.inked.length;
  let topRow = -1;
  let bottomRow = -1;
  for (let y = core.topRow; y <= core.bottomRow; y++) {
    for (let x = from; x < to; x++) {
      if (profile.inkMask[y * width + x] !== 1) continue;
      if (topRow < 0) topRow = y;
      bottomRow = y;
      break;
    }
  }
  if (topRow < 0) return null;
  return {
    topRow: growFrom(profile, run, topRow, -1),
    bottomRow: growFrom(profile, run, bottomRow, 1),
  };
}

/**
 * The last row, going up (`step` -1) or down (1) from `row`, that ink reaches through pixels
 * touching, at most one column aside, the reached ink of the row before, or joined along their
 * row to such pixels.
 */
function growFrom(
  profile: InkProfile,
  [from, to]: [number, number],
  row: number,
  step: -1 | 1,
): number {
  const width = profile.inked.length;
  const mask = profile.inkMask;
  let reached = mask.slice(row * width + from, row * width + to);
  let next = new Uint8Array(to - from);
  let last = row;
  for (let y = row + step; y >= 0 && y < LINE_HEIGHT_PX; y += step) {
    next.fill(0);
    let any = false;
    for (let x = 0; x < next.length; x++) {
      if (mask[y * width + from + x] !== 1) continue;
      if (!reached[x] && !reached[x - 1] && !reached[x + 1]) continue;
      next[x] = 1;
      any = true;
    }
    if (!any) break;
    // Along the row, ink joined to reached ink is reached too: the tops of round letters.
    const inkAt = (x: number) => mask[y * width + from + x] === 1;
    for (let x = 1; x < next.length; x++) if (next[x - 1] && inkAt(x)) next[x] = 1;
    for (let x = next.length - 2; x >= 0; x--) if (next[x + 1] && inkAt(x)) next[x] = 1;
    last = y;
    [reached, next] = [next, reached];
  }
  return last;
}

/** Runs of inked columns, as [from, to) pixel ranges, left to right. */
function inkRuns(inked: Uint8Array): [number, number][] {
  const runs: [number, number][] = [];
  let start = -1;
  for (let x = 0; x <= inked.length; x++) {
    const ink = x < inked.length && inked[x] === 1;
    if (ink && start < 0) start = x;
    if (!ink && start >= 0) {
      runs.push([start, x]);
      start = -1;
    }
  }
  return runs;
}

/**
 * Index of the run under `px`, or of the nearest one within `reachPx`; -1 when none is. The
 * search starts at run `first`, before which every run ends more than `reachPx` before `px`.
 */
function nearestRun(runs: [number, number][], first: number, px: number, reachPx: number): number {
  let best = -1;
  let bestDistance = reachPx;
  for (let k = first; k < runs.length; k++) {
    const [from, to] = runs[k];
    const distance = px < from ? from - px : px >= to ? px - to + 1 : 0;
    if (distance === 0) return k;
    if (distance <= bestDistance) {
      best = k;
      bestDistance = distance;
    }
    if (from > px + reachPx) break;
  }
  return best;
}
