/** Files the engine must refuse, each with a code a user can read, and without decoding them. */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { crc32, deflateSync } from 'node:zlib';
import { createEngine, type OcrEngineApi } from '../../../../electron/service/engine/index';
import type { ErrorCode } from '../../../../shared/errors';
import { SIMPLE, TESTOCR, writeMixedSizeTiff } from './support/page-variants';

/** Just under the 640 x 480 corpus page, so that page is over the limit. */
const MAX_PIXELS = 300_000;

let engine: OcrEngineApi;
let dir: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ocr-desk-engine-errors-'));
  engine = await createEngine({ maxPixels: MAX_PIXELS, workers: 1 });
});

after(async () => {
  await engine?.close();
  await rm(dir, { recursive: true, force: true });
});

async function fileWith(name: string, content: Buffer | string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A PNG whose header announces a huge RGB image but whose data holds one row of it at most. */
function pngHeaderOnly(width: number, height: number): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bits per channel
  header[9] = 2; // RGB
  return Buffer.concat([
    Buffer.from('89504e470d0a1a0a', 'hex'),
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(Buffer.alloc(64))),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

async function assertRefused(work: Promise<unknown>, code: ErrorCode): Promise<string> {
  let message = '';
  await assert.rejects(work, (error: unknown) => {
    const refusal = error as { code?: unknown; message?: unknown };
    assert.equal(refusal.code, code, `got ${String(refusal.code)}: ${String(refusal.message)}`);
    assert.equal(typeof refusal.message, 'string');
    message = refusal.message as string;
    assert.ok(message.length > 10, `an explanation, not "${message}"`);
    return true;
  });
  return message;
}

describe('pixel limit', () => {
  test('a page over the configured limit is refused with image_too_large, saying the sizes', async () => {
    const message = await assertRefused(engine.recognizeDocument(TESTOCR), 'image_too_large');
    assert.match(message, /640\s*x\s*480/);
    await assertRefused(engine.probe(TESTOCR), 'image_too_large');
  });

  test('the limit is checked from the header, before any pixel is decoded', async () => {
    // 40,000 x 40,000 announced, almost no pixel data: decoding it would fail as damaged instead.
    const path = await fileWith('huge-header.png', pngHeaderOnly(40_000, 40_000));
    await assertRefused(engine.recognizeDocument(path), 'image_too_large');

    // The same file announcing a size within the limit is decoded, and found damaged.
    const small = await fileWith('small-header.png', pngHeaderOnly(400, 400));
    await assertRefused(engine.recognizeDocument(small), 'invalid_input');
  });
  test('one TIFF page over the limit is refused alone; the pages around it are read', async () => {
    // Pages of 320 x 180, 640 x 480 (over the limit) and 400 x 400.
    const path = join(dir, 'mixed-sizes.tiff');
    await writeMixedSizeTiff(path);
    const refused: number[] = [];

    const result = await engine.recognizeDocument(path, {
      onPageError: (pageIndex) => refused.push(pageIndex),
    });

    assert.deepEqual(
      result.pages.map((p) => p.pageIndex),
      [0, 2],
    );
    assert.deepEqual(
      result.pageErrors.map((e) => [e.pageIndex, e.error.code]),
      [[1, 'image_too_large']],
    );
    assert.deepEqual(refused, [1]);
  });
});

describe('unreadable files', () => {
  test('an empty file is invalid input', async () => {
    const path = await fileWith('empty.png', Buffer.alloc(0));
    await assertRefused(engine.recognizeDocument(path), 'invalid_input');
  });

  test('a truncated PNG is invalid input', async () => {
    const whole = await readFile(SIMPLE); // 320 x 180: within the limit
    const path = await fileWith('truncated.png', whole.subarray(0, Math.floor(whole.length / 3)));
    await assertRefused(engine.recognizeDocument(path), 'invalid_input');
  });

  test('a text file named .png is an unsupported format, judged by its content', async () => {
    const path = await fileWith('notes.png', 'Shopping list: bread, milk, eggs.\n');
    await assertRefused(engine.recognizeDocument(path), 'unsupported_format');
  });

  test('an image named for another format is read by its content', async () => {
    const path = await fileWith('actually-a-png.jpg', await readFile(SIMPLE));
    const result = await engine.recognizeDocument(path);
    assert.equal(result.info.format, 'png');
    assert.equal(result.pages[0].text, 'Tesseract.js');
  });

  test('a missing file is file_not_found', async () => {
    await assertRefused(engine.recognizeDocument(join(dir, 'no-such-page.png')), 'file_not_found');
  });
});
