/** Synthetic lines of letters of chosen heights, with the decoded sequence and ink a model would give. */
import type {
  DecodedChar,
  DecodedSequence,
} from '../../../../../electron/service/engine/ctc-decode';
import { LINE_HEIGHT_PX } from '../../../../../electron/service/engine/line-sampler';
import type { InkProfile } from '../../../../../electron/service/engine/word-gaps';
import { inkPerRow } from './ink-rows';

/** Output time steps are this many sampled pixels apart in these tests. */
export const STEP_WIDTH_PX = 4;
/** Each letter takes 12 px of the line: 8 px of ink and a 4 px gap. */
export const ADVANCE_PX = 12;
export const BASELINE_ROW = 36;
export const X_HEIGHT_PX = 20;
export const TALL_PX = 28;
/** Page pixels per sampled pixel of a line of ordinary body text. */
export const BODY_TEXT_SCALE = 1;

export interface Glyph {
  char: string;
  heightPx: number;
  /** Whether its ink runs into the next letter's, with no blank column between. */
  touchesNext?: boolean;
}

/** The usual ink height of a letter as it reads: capitals, ascenders and digits are tall. */
function heightOf(char: string): number {
  return /[A-Z0-9bdfhkl]/.test(char) ? TALL_PX : X_HEIGHT_PX;
}

/** Letters at their usual heights, except where `heightsPx` says otherwise, by position. */
export function glyphs(text: string, heightsPx: Record<number, number> = {}): Glyph[] {
  return [...text].map((char, i) => ({ char, heightPx: heightsPx[i] ?? heightOf(char) }));
}

/** The decoded sequence and ink profile of a line of letters, each centred in its advance. */
export function line(letters: Glyph[]): { sequence: DecodedSequence; profile: InkProfile } {
  const widthPx = letters.length * ADVANCE_PX;
  const inked = new Uint8Array(widthPx);
  const inkMask = new Uint8Array(LINE_HEIGHT_PX * widthPx);
  const chars: DecodedChar[] = [];
  letters.forEach(({ char, heightPx, touchesNext }, i) => {
    // Steps 3i+1: centred at 12i + 6 px, the middle of the letter's ink (12i + 2 to 12i + 10).
    chars.push({ char, confidence: 0.9, firstStep: 3 * i + 1, lastStep: 3 * i + 1 });
    if (char === ' ') return;
    const from = i * ADVANCE_PX + 2;
    const to = from + 8 + (touchesNext ? 4 : 0);
    inked.fill(1, from, to);
    for (let y = BASELINE_ROW - heightPx + 1; y <= BASELINE_ROW; y++) {
      inkMask.fill(1, y * widthPx + from, y * widthPx + to);
    }
  });
  const text = chars.map((c) => c.char).join('');
  return {
    sequence: { text, chars, confidence: 0.9 },
    profile: { inked, inkHeightPx: TALL_PX, inkMask, inkPerRowPx: inkPerRow(inkMask, widthPx) },
  };
}
