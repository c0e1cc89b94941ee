import assert from 'node:assert/strict';
import { test } from 'node:test';
import fontkit from '@pdf-lib/fontkit';
import {
  ASCENT,
  buildGlyphlessTrueType,
  DESCENT,
  GLYPH_ADVANCE,
  GLYPH_COUNT,
  UNITS_PER_EM,
} from '../../../../../electron/service/export/pdf/glyphless-truetype';

function checksum(bytes: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < bytes.length; i += 4) {
    const word =
      ((bytes[i] << 24) | (bytes[i + 1] << 16) | (bytes[i + 2] << 8) | bytes[i + 3]) >>> 0;
    sum = (sum + word) >>> 0;
  }
  return sum;
}

test('the glyphless font parses, has empty equal-width glyphs and valid checksums', () => {
  const bytes = buildGlyphlessTrueType('TestGlyphless');
  assert.ok(bytes.length < 1024, `${bytes.length} bytes`);
  assert.equal(bytes.length % 4, 0);

  const font = fontkit.create(Buffer.from(bytes));
  assert.equal(font.postscriptName, 'TestGlyphless');
  assert.equal(font.numGlyphs, GLYPH_COUNT);
  assert.equal(font.unitsPerEm, UNITS_PER_EM);
  assert.equal(font.ascent, ASCENT);
  assert.equal(font.descent, DESCENT);
  for (let id = 0; id < GLYPH_COUNT; id++) {
    const glyph = font.getGlyph(id);
    assert.equal(glyph.advanceWidth, GLYPH_ADVANCE);
    assert.equal(glyph.path.toSVG(), '', `glyph ${id} draws something`);
  }

  // The whole file sums to the magic number, and each table to its directory entry.
  assert.equal(checksum(bytes), 0xb1b0afba);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tableCount = view.getUint16(4);
  for (let t = 0; t < tableCount; t++) {
    const entry = 12 + t * 16;
    const tag = String.fromCharCode(...bytes.subarray(entry, entry + 4));
    const offset = view.getUint32(entry + 8);
    const length = view.getUint32(entry + 12);
    const table = new Uint8Array(Math.ceil(length / 4) * 4);
    table.set(bytes.subarray(offset, offset + length));
    if (tag === 'head') table.fill(0, 8, 12); // checkSumAdjustment is left out of head's sum
    assert.equal(checksum(table), view.getUint32(entry + 4), `checksum of ${tag}`);
  }
});
