import type { DecodedChar, DecodedSequence } from './ctc-decode';

/** Letters printed joined to a preceding f in one glyph (the fi and fl ligatures). */
const JOINED_AFTER_F = ['i', 'l'];
/** Output steps after an f where the joined letter's probability is looked for. */
const LIGATURE_REACH_STEPS = 2;
/**
 * Least probability, at one of those steps, of a joined letter the decoding left out. On the
 * corpus's book pages the ligatures' letters stand at 0.07 to 0.48; after none of the 381 other
 * f's does an i or l reach this.
 */
const LIGATURE_MIN_PROBABILITY = 0.05;

/**
 * Puts back the i or l of an fi or fl ligature. Typeset text prints these pairs as one glyph,
 * whose second letter hangs from the f's hook (the i without its own dot); the recogniser,
 * trained on text set mostly without them, reads the glyph as an f and gives the second letter
 * only a minority of the step after it ("fnest", "fock" for "finest", "flock"). Where, right
 * after an f and before the next letter, an i or l reaches LIGATURE_MIN_PROBABILITY, it is put
 * in. `probs` holds the line's `steps` x `classes` probabilities from `offset`.
 */
export function restoreLigatureLetters(
  sequence: DecodedSequence,
  probs: Float32Array,
  offset: number,
  steps: number,
  classes: number,
  alphabet: readonly string[],
): DecodedSequence {
  const source = sequence.chars;
  if (!source.some((c) => c.char === 'f' || c.char === 'F')) return sequence;
  const joinedClasses = JOINED_AFTER_F.map((letter) => alphabet.indexOf(letter));
  const chars: DecodedChar[] = [];
  source.forEach((char, i) => {
    chars.push(char);
    if (char.char !== 'f' && char.char !== 'F') return;
    const next = source[i + 1];
    if (next && JOINED_AFTER_F.includes(next.char)) return;
    const last = Math.min(char.lastStep + LIGATURE_REACH_STEPS, (next?.firstStep ?? steps) - 1);
    let best: DecodedChar | null = null;
    for (let t = char.lastStep + 1; t <= last; t++) {
      joinedClasses.forEach((k, j) => {
        const p = probs[offset + t * classes + k];
        if (p < LIGATURE_MIN_PROBABILITY || (best && p <= best.confidence)) return;
        best = { char: JOINED_AFTER_F[j], confidence: p, firstStep: t, lastStep: t };
      });
    }
    if (best) chars.push(best);
  });
  if (chars.length === source.length) return sequence;
  return { ...sequence, chars, text: chars.map((c) => c.char).join('') };
}
