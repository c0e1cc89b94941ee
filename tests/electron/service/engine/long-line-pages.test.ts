/**
 * Pages of unusual shape read like ordinary ones: a banner or ticker tape, one line of text
 * tens of thousands of pixels long, the same turned on its side either way, and a long narrow strip with
 * short lines down it (a receipt). Real models on text rendered with sharp; the images are
 * built in a temporary folder.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import type { PageResult } from '../../../../shared/domain';
import { createEngine, type OcrEngineApi } from '../../../../electron/service/engine/index';
import { assertReadsLike } from './support/text-accuracy';

const WORDS = (
  'total amount paid cash change receipt store number market index shares closed higher ' +
  'lower points trading volume energy banner ticker sale today only thank you visit again ' +
  'quick brown fox jumps over the lazy dog'
).split(' ');
/** DejaVu Sans at 30 px sets about 15 px of line per character; this leaves room to spare. */
const FONT_PX = 30;
const CHAR_ADVANCE_PX = 16;

/** `count` words taken from WORDS in a fixed, shuffled-looking order. */
function words(count: number, seed: number): string {
  return Array.from({ length: count }, (_, i) => WORDS[(seed + i * 7 + i * i) % WORDS.length]).join(
    ' ',
  );
}

/** Words filling about `widthPx` of a line at FONT_PX. */
function wordsFor(widthPx: number, seed: number): string {
  const text = words(Math.ceil(widthPx / CHAR_ADVANCE_PX / 4), seed);
  const limit = Math.floor(widthPx / CHAR_ADVANCE_PX);
  return text.length <= limit ? text : text.slice(0, text.lastIndexOf(' ', limit));
}

/** One line of text, at FONT_PX on white, `widthPx` wide with a margin all round. */
async function lineImage(widthPx: number, seed: number): Promise<{ png: Buffer; text: string }> {
  const text = wordsFor(widthPx - 80, seed);
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${widthPx}" height="60">` +
    `<rect width="100%" height="100%" fill="white"/>` +
    `<text x="20" y="40" font-family="DejaVu Sans" font-size="${FONT_PX}">${text}</text></svg>`;
  return { png: await sharp(Buffer.from(svg)).png().toBuffer(), text };
}

let engine: OcrEngineApi;
let dir: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ocr-desk-engine-long-lines-'));
  engine = await createEngine();
});

after(async () => {
  await engine?.close();
  await rm(dir, { recursive: true, force: true });
});

async function readOnePage(name: string, png: Buffer): Promise<PageResult> {
  const path = join(dir, name);
  await sharp(png).toFile(path);
  const result = await engine.recognizeDocument(path);
  assert.deepEqual(result.pageErrors, []);
  assert.equal(result.pages.length, 1);
  return result.pages[0];
}

describe('long lines', () => {
  for (const widthPx of [6_000, 10_000, 20_000]) {
    test(`a line ${widthPx} px long reads whole, as one line`, async () => {
      const { png, text } = await lineImage(widthPx, widthPx);
      const page = await readOnePage(`line-${widthPx}.png`, png);

      assertReadsLike(page.text, text, `${widthPx} px line`);
      const lines = page.blocks.flatMap((b) => b.lines);
      assert.equal(lines.length, 1, lines.map((l) => l.text.slice(0, 40)).join(' | '));
      assert.ok(lines[0].box.width > 0.8 * widthPx, `line box ${lines[0].box.width} px`);
      assert.equal(page.rotation, 0);
    });
  }

  for (const turn of [90, 270] as const) {
    test(`a 30,000 px line turned ${turn}° reads whole, the page turned back`, async () => {
      const { png, text } = await lineImage(30_000, turn);
      const page = await readOnePage(`line-${turn}.png`, await sharp(png).rotate(turn).toBuffer());

      assertReadsLike(page.text, text, `line turned ${turn}°`);
      assert.equal(page.widthPx, 60);
      assert.equal(page.heightPx, 30_000);
      assert.equal(page.rotation, 360 - turn);
      assert.equal(page.blocks.flatMap((b) => b.lines).length, 1);
    });
  }

  test('a long narrow strip reads every one of its short lines, in order', async () => {
    const widthPx = 360;
    const rows = Array.from({ length: 80 }, (_, i) => wordsFor(widthPx - 40, i));
    const labels = rows.map((row, i) => ({
      input: Buffer.from(
        `<svg xmlns="http://www.w3.org/2000/svg" width="${widthPx}" height="44">` +
          `<rect width="100%" height="100%" fill="white"/>` +
          `<text x="10" y="32" font-family="DejaVu Sans" font-size="24">${row}</text></svg>`,
      ),
      top: 20 + i * 44,
      left: 0,
    }));
    const strip = await sharp({
      create: { width: widthPx, height: 40 + rows.length * 44, channels: 3, background: '#fff' },
    })
      .composite(labels)
      .png()
      .toBuffer();
    const page = await readOnePage('strip.png', strip);

    assertReadsLike(page.text, rows.join('\n'), 'narrow strip');
    assert.equal(page.blocks.flatMap((b) => b.lines).length, rows.length);
  });
});
