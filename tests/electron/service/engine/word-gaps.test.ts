import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { DecodedChar, DecodedSequence } from '../../../../electron/service/engine/ctc-decode';
import { LINE_HEIGHT_PX } from '../../../../electron/service/engine/line-sampler';
import {
  inkProfile,
  joinDashRuns,
  joinDoubledQuotes,
  restoreWordSpaces,
  tidyPunctuationSpaces,
  type InkProfile,
} from '../../../../electron/service/engine/word-gaps';
import { inkPerRow } from './support/ink-rows';

/** Output time steps are this many sampled pixels apart in these tests. */
const STEP_WIDTH_PX = 4;

function sequence(chars: [char: string, firstStep: number, lastStep: number][]): DecodedSequence {
  const decoded: DecodedChar[] = chars.map(([char, firstStep, lastStep]) => ({
    char,
    confidence: 0.9,
    firstStep,
    lastStep,
  }));
  return { text: chars.map((c) => c[0]).join(''), chars: decoded, confidence: 0.9 };
}

/** A sequence reading `text`, one character every two time steps. */
function spelled(text: string): DecodedSequence {
  return sequence([...text].map((char, i) => [char, 2 * i, 2 * i + 1]));
}

/** A profile `widthPx` wide with ink over the given [from, to) column ranges. */
function profile(
  widthPx: number,
  inkHeightPx: number,
  inkedRanges: [number, number][],
): InkProfile {
  const inked = new Uint8Array(widthPx);
  const inkMask = new Uint8Array(LINE_HEIGHT_PX * widthPx);
  for (const [from, to] of inkedRanges) {
    inked.fill(1, from, to);
    for (let y = 0; y < inkHeightPx; y++) inkMask.fill(1, y * widthPx + from, y * widthPx + to);
  }
  return { inked, inkHeightPx, inkMask, inkPerRowPx: inkPerRow(inkMask, widthPx) };
}

describe('restoreWordSpaces', () => {
  // Characters centred at 12 px (a, steps 2-3), 24 px (b, steps 5-6) and 52 px (c, steps 12-13).
  const abc = sequence([
    ['a', 2, 3],
    ['b', 5, 6],
    ['c', 12, 13],
  ]);

  test('a blank stretch wider than a word gap between two characters becomes a space', () => {
    const ink = profile(80, 20, [
      [6, 18],
      [19, 30],
      [45, 59],
    ]);

    const result = restoreWordSpaces(abc, ink, STEP_WIDTH_PX);

    assert.equal(result.text, 'ab c');
    assert.deepEqual(
      result.chars.map((c) => c.char),
      ['a', 'b', ' ', 'c'],
    );
    const space = result.chars[2];
    assert.ok(space.firstStep >= 6 && space.lastStep <= 12, 'the space lies between b and c');
  });

  test('the word gap is judged against the height of the ink, not in fixed pixels', () => {
    // A 7 px blank between b and c: a word gap for 20 px tall ink, a letter gap for 30 px ink.
    const ranges: [number, number][] = [
      [6, 18],
      [19, 38],
      [45, 59],
    ];
    assert.equal(restoreWordSpaces(abc, profile(80, 20, ranges), STEP_WIDTH_PX).text, 'ab c');
    assert.equal(restoreWordSpaces(abc, profile(80, 30, ranges), STEP_WIDTH_PX).text, 'abc');
  });

  test('letters set close together stay one word', () => {
    const ink = profile(80, 20, [
      [6, 18],
      [19, 42],
      [45, 59],
    ]);
    assert.equal(restoreWordSpaces(abc, ink, STEP_WIDTH_PX).text, 'abc');
  });

  test('a space the recogniser already read is not doubled', () => {
    const spaced = sequence([
      ['a', 2, 3],
      [' ', 8, 8],
      ['c', 12, 13],
    ]);
    const ink = profile(80, 20, [
      [6, 18],
      [45, 59],
    ]);
    assert.equal(restoreWordSpaces(spaced, ink, STEP_WIDTH_PX).text, 'a c');
  });

  test('blank paper before the first and after the last character adds nothing', () => {
    const ink = profile(200, 20, [
      [40, 59],
      [60, 75],
    ]);
    const ab = sequence([
      ['a', 11, 13],
      ['b', 15, 17],
    ]);
    assert.equal(restoreWordSpaces(ab, ink, STEP_WIDTH_PX).text, 'ab');
  });
});

describe('restoreWordSpaces on monospaced type', () => {
  /** Monospaced cells this many sampled px wide, one character centred in each. */
  const CELL_PX = 16;

  /**
   * `text` set one character a cell (a space leaves its cell empty), each read at the middle
   * of its cell; a space was given 0.2 probability before the characters at `hinted`. The
   * letters in `narrow` are inked 2 px wide, the others 12 px.
   */
  function monospaced(text: string, narrow: string, hinted: number[] = []) {
    const chars: DecodedChar[] = [];
    const inkedRanges: [number, number][] = [];
    [...text].forEach((char, cell) => {
      if (char === ' ') return;
      const centrePx = cell * CELL_PX + CELL_PX / 2;
      const halfWidthPx = narrow.includes(char) ? 1 : 6;
      inkedRanges.push([centrePx - halfWidthPx, centrePx + halfWidthPx]);
      const step = centrePx / STEP_WIDTH_PX;
      const spaceBefore = hinted.includes(cell) ? 0.2 : 0;
      chars.push({ char, confidence: 0.9, firstStep: step - 1, lastStep: step, spaceBefore });
    });
    const read: DecodedSequence = {
      text: chars.map((c) => c.char).join(''),
      chars,
      confidence: 0.9,
    };
    return { read, ink: profile(text.length * CELL_PX, 20, inkedRanges) };
  }

  test('a narrow letter leaves a blank as wide as a word gap, but stays in its word', () => {
    // The blanks either side of I and L are 9 px, over the 6 px word gap of 20 px tall ink.
    const { read, ink } = monospaced('MODELLING', 'IL');

    assert.equal(restoreWordSpaces(read, ink, STEP_WIDTH_PX).text, 'MODELLING');
  });

  test('a letter read a time step off the middle of its cell stays in its word', () => {
    const { read, ink } = monospaced('KIDDYFISH', 'I');
    const late = read.chars.map((c, i) =>
      i === 6 ? { ...c, firstStep: c.firstStep + 1, lastStep: c.lastStep + 1 } : c,
    );

    const result = restoreWordSpaces({ ...read, chars: late }, ink, STEP_WIDTH_PX);

    assert.equal(result.text, 'KIDDYFISH');
  });

  test('an empty cell between two words is still a word space', () => {
    const { read, ink } = monospaced('KIDDY FISH', 'I');

    assert.equal(restoreWordSpaces(read, ink, STEP_WIDTH_PX).text, 'KIDDY FISH');
  });

  test('within the pitch, a wide blank splits words where the recogniser hinted at a space', () => {
    // Proportional capitals: a word space after a narrow F need not add a whole cell.
    const plain = monospaced('OFPAGES', 'F');
    const hinted = monospaced('OFPAGES', 'F', [2]);

    assert.equal(restoreWordSpaces(plain.read, plain.ink, STEP_WIDTH_PX).text, 'OFPAGES');
    assert.equal(restoreWordSpaces(hinted.read, hinted.ink, STEP_WIDTH_PX).text, 'OF PAGES');
  });

  test('a decimal point or a colon between digits joins them, though its cell is mostly blank', () => {
    const price = monospaced('RM14.90', '.:');
    const time = monospaced('08:13:39', '.:');

    assert.equal(restoreWordSpaces(price.read, price.ink, STEP_WIDTH_PX).text, 'RM14.90');
    assert.equal(restoreWordSpaces(time.read, time.ink, STEP_WIDTH_PX).text, '08:13:39');
  });

  test('a full stop ending a word keeps the space after it', () => {
    const { read, ink } = monospaced('NO.SALE', '.');

    const spaced = restoreWordSpaces(read, ink, STEP_WIDTH_PX);

    assert.equal(tidyPunctuationSpaces(spaced).text, 'NO. SALE');
  });
});

describe('inkProfile', () => {
  const SLOT_WIDTH_PX = 120;

  /** A normalised 3-plane slot: paper everywhere, ink on rows 14..33 of the given columns. */
  function slot(paper: number, ink: number, inkColumns: [number, number][]): Float32Array {
    const plane = LINE_HEIGHT_PX * SLOT_WIDTH_PX;
    const data = new Float32Array(3 * plane).fill(paper);
    for (const [from, to] of inkColumns) {
      for (let y = 14; y < 34; y++) {
        for (let x = from; x < to; x++) {
          for (let c = 0; c < 3; c++) data[c * plane + y * SLOT_WIDTH_PX + x] = ink;
        }
      }
    }
    return data;
  }

  const columns: [number, number][] = [
    [10, 30],
    [50, 80],
  ];

  function inkedColumns(found: InkProfile): number[] {
    return [...found.inked.keys()].filter((x) => found.inked[x] === 1);
  }

  const expectedColumns = [
    ...Array.from({ length: 20 }, (_, i) => 10 + i),
    ...Array.from({ length: 30 }, (_, i) => 50 + i),
  ];

  test('finds the inked columns and the height of dark text on light paper', () => {
    const found = inkProfile(slot(1, -1, columns), SLOT_WIDTH_PX, 100);
    assert.ok(found);
    assert.equal(found.inked.length, 100);
    assert.equal(found.inkHeightPx, 20);
    assert.deepEqual(inkedColumns(found), expectedColumns);
    assert.equal(found.inkMask[14 * 100 + 12], 1);
    assert.equal(found.inkMask[13 * 100 + 12], 0);
    assert.equal(found.inkMask[20 * 100 + 40], 0);
  });

  test('reads light text on a dark ground the same way', () => {
    const found = inkProfile(slot(-1, 1, columns), SLOT_WIDTH_PX, 100);
    assert.ok(found);
    assert.equal(found.inkHeightPx, 20);
    assert.deepEqual(inkedColumns(found), expectedColumns);
  });

  test('gives nothing for a line with too little contrast to judge', () => {
    assert.equal(inkProfile(slot(0.1, -0.1, columns), SLOT_WIDTH_PX, 100), null);
  });
});

describe('tidyPunctuationSpaces', () => {
  const tidy = (text: string) => tidyPunctuationSpaces(spelled(text)).text;

  test('drops spaces before closing punctuation and inside curly quotes and brackets', () => {
    assert.equal(tidy('state : by his'), 'state: by his');
    assert.equal(tidy('But oh ! ye ; and why ?'), 'But oh! ye; and why?');
    assert.equal(tidy('the “ human face ” ( divine )'), 'the “human face” (divine)');
    assert.equal(tidy('Barnabas I. , and'), 'Barnabas I., and');
  });

  test('closes up an em dash between two words, but not one that starts or ends the line', () => {
    assert.equal(tidy('co-existent — their'), 'co-existent—their');
    assert.equal(tidy('Magnetberg —that'), 'Magnetberg—that');
    assert.equal(tidy('at any corner— in this'), 'at any corner—in this');
    assert.equal(tidy('— Approval for'), '— Approval for');
    assert.equal(tidy('the same house —'), 'the same house —');
    assert.equal(tidy('pages 3 – 5'), 'pages 3 – 5');
  });

  test('keeps the other spaces, and the characters with their positions', () => {
    assert.equal(tidy('TOTAL 12.50 - 3 items'), 'TOTAL 12.50 - 3 items');
    const tidied = tidyPunctuationSpaces(
      sequence([
        ['a', 0, 1],
        [' ', 2, 2],
        [':', 3, 4],
      ]),
    );
    assert.deepEqual(
      tidied.chars.map((c) => [c.char, c.firstStep]),
      [
        ['a', 0],
        [':', 3],
      ],
    );
  });
});

describe('joinDoubledQuotes', () => {
  const join = (text: string) => joinDoubledQuotes(spelled(text));

  test('reads two single quote marks in a row as one double quote of their direction', () => {
    assert.equal(join("said Hall,'' and").text, 'said Hall," and');
    assert.equal(join('‘‘as you’’ said').text, '“as you” said');
    assert.equal(join("too!’'").text, 'too!”');
  });

  test('keeps single quotes and apostrophes, and spans both marks', () => {
    assert.equal(join("don't 'this' ’tis").text, "don't 'this' ’tis");
    const joined = join("a''");
    assert.deepEqual(
      joined.chars.map((c) => [c.char, c.firstStep, c.lastStep]),
      [
        ['a', 0, 1],
        ['"', 2, 5],
      ],
    );
  });
});

describe('joinDashRuns', () => {
  const join = (text: string) => joinDashRuns(spelled(text)).text;

  test('reads a split em dash, or a typewritten one, as one em dash', () => {
    assert.equal(join('a report--the first'), 'a report—the first');
    assert.equal(join('a face—-but'), 'a face—but');
    assert.equal(join('the house---'), 'the house—');
  });

  test('keeps hyphens, single dashes and drawn rules', () => {
    assert.equal(join('co-existent – 10-12 —'), 'co-existent – 10-12 —');
    assert.equal(join('TOTAL ------------'), 'TOTAL ------------');
  });
});
