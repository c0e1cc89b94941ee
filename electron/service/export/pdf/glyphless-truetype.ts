/**
 * A tiny TrueType font with two glyphs, both empty and half an em wide. The searchable PDF's
 * text layer is invisible (render mode 3), so the font only has to be valid and to give every
 * character the same advance; what a character *is* comes from the ToUnicode map.
 */

export const UNITS_PER_EM = 1000;
/** Advance of every glyph, in font units: half an em. */
export const GLYPH_ADVANCE = 500;
export const ASCENT = 800;
export const DESCENT = -200;
export const GLYPH_COUNT = 2;

class ByteWriter {
  private readonly bytes: number[] = [];

  u8(value: number) {
    this.bytes.push(value & 0xff);
    return this;
  }
  u16(value: number) {
    return this.u8(value >> 8).u8(value);
  }
  i16(value: number) {
    return this.u16(value < 0 ? value + 0x10000 : value);
  }
  u32(value: number) {
    return this.u16(Math.floor(value / 0x10000)).u16(value & 0xffff);
  }
  zeros(count: number) {
    for (let i = 0; i < count; i++) this.u8(0);
    return this;
  }
  tag(text: string) {
    for (const ch of text) this.u8(ch.charCodeAt(0));
    return this;
  }
  toBytes(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

function headTable(): Uint8Array {
  return new ByteWriter()
    .u32(0x00010000) // version 1.0
    .u32(0x00010000) // font revision
    .u32(0) // checkSumAdjustment, patched once the whole file is known
    .u32(0x5f0f3cf5) // magic number
    .u16(0b1011) // flags: baseline at y=0, left sidebearing at x=0, integer scaling
    .u16(UNITS_PER_EM)
    .zeros(16) // created and modified dates: none
    .i16(0)
    .i16(DESCENT)
    .i16(GLYPH_ADVANCE)
    .i16(ASCENT) // font bounding box
    .u16(0) // macStyle
    .u16(8) // smallest readable size, px
    .i16(2) // font direction hint
    .i16(0) // loca holds 16-bit offsets
    .i16(0) // glyph data format
    .toBytes();
}

function hheaTable(): Uint8Array {
  return new ByteWriter()
    .u32(0x00010000)
    .i16(ASCENT)
    .i16(DESCENT)
    .i16(0) // line gap
    .u16(GLYPH_ADVANCE) // widest advance
    .i16(0)
    .i16(0)
    .i16(GLYPH_ADVANCE) // min sidebearings, max extent
    .i16(1)
    .i16(0)
    .i16(0) // caret slope and offset
    .zeros(8) // reserved
    .i16(0) // metric data format
    .u16(GLYPH_COUNT) // every glyph has its own advance
    .toBytes();
}

function maxpTable(): Uint8Array {
  const w = new ByteWriter().u32(0x00010000).u16(GLYPH_COUNT);
  // maxPoints, maxContours, composite limits, zones, twilight points, storage, function and
  // instruction defs, stack, instruction size, component elements and depth: all minimal.
  w.u16(0).u16(0).u16(0).u16(0).u16(1).u16(0).u16(0).u16(0).u16(0).u16(0).u16(0).u16(0).u16(0);
  return w.toBytes();
}

function hmtxTable(): Uint8Array {
  const w = new ByteWriter();
  for (let i = 0; i < GLYPH_COUNT; i++) w.u16(GLYPH_ADVANCE).i16(0);
  return w.toBytes();
}

/** Every glyph is empty: all loca offsets are zero and glyf holds nothing but padding. */
function locaTable(): Uint8Array {
  return new ByteWriter().zeros(2 * (GLYPH_COUNT + 1)).toBytes();
}

/** A format 4 cmap with only the mandatory final segment: no character maps to a glyph. */
function cmapTable(): Uint8Array {
  return new ByteWriter()
    .u16(0)
    .u16(1) // one encoding record
    .u16(3)
    .u16(1)
    .u32(12) // Windows, Unicode BMP, subtable at offset 12
    .u16(4)
    .u16(24)
    .u16(0) // format 4, length, language
    .u16(2)
    .u16(2)
    .u16(0)
    .u16(0) // segCountX2, searchRange, entrySelector, rangeShift
    .u16(0xffff) // end code
    .u16(0) // reserved pad
    .u16(0xffff) // start code
    .i16(1) // id delta
    .u16(0) // id range offset
    .toBytes();
}

function postTable(): Uint8Array {
  return new ByteWriter()
    .u32(0x00030000) // version 3: no glyph names
    .zeros(4) // italic angle
    .i16(-100)
    .i16(50) // underline position and thickness
    .u32(1) // fixed pitch: every glyph has the same advance
    .zeros(16)
    .toBytes();
}

function nameTable(fontName: string): Uint8Array {
  // Family (1), subfamily (2), full name (4) and PostScript name (6), in UTF-16BE for Windows.
  const records: [number, string][] = [
    [1, fontName],
    [2, 'Regular'],
    [4, fontName],
    [6, fontName],
  ];
  const strings = records.map(([, text]) => {
    const w = new ByteWriter();
    for (const ch of text) w.u16(ch.charCodeAt(0));
    return w.toBytes();
  });
  const w = new ByteWriter()
    .u16(0)
    .u16(records.length)
    .u16(6 + 12 * records.length);
  let offset = 0;
  records.forEach(([nameId], i) => {
    w.u16(3).u16(1).u16(0x409).u16(nameId).u16(strings[i].length).u16(offset);
    offset += strings[i].length;
  });
  const head = w.toBytes();
  return concat([head, ...strings]);
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

function checksum(bytes: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < bytes.length; i += 4) {
    const word =
      ((bytes[i] ?? 0) << 24) |
      ((bytes[i + 1] ?? 0) << 16) |
      ((bytes[i + 2] ?? 0) << 8) |
      (bytes[i + 3] ?? 0);
    sum = (sum + (word >>> 0)) >>> 0;
  }
  return sum;
}

function padded(bytes: Uint8Array): Uint8Array {
  const length = Math.ceil(bytes.length / 4) * 4;
  if (length === bytes.length) return bytes;
  const out = new Uint8Array(length);
  out.set(bytes);
  return out;
}

/** The whole font file: table directory, then each table padded to four bytes. */
export function buildGlyphlessTrueType(fontName: string): Uint8Array {
  const tables: [string, Uint8Array][] = [
    ['cmap', cmapTable()],
    ['glyf', new Uint8Array(4)],
    ['head', headTable()],
    ['hhea', hheaTable()],
    ['hmtx', hmtxTable()],
    ['loca', locaTable()],
    ['maxp', maxpTable()],
    ['name', nameTable(fontName)],
    ['post', postTable()],
  ];
  const entrySelector = Math.floor(Math.log2(tables.length));
  const searchRange = 16 * 2 ** entrySelector;
  const directory = new ByteWriter()
    .u32(0x00010000)
    .u16(tables.length)
    .u16(searchRange)
    .u16(entrySelector)
    .u16(tables.length * 16 - searchRange);
  let offset = 12 + 16 * tables.length;
  for (const [tag, data] of tables) {
    directory.tag(tag).u32(checksum(data)).u32(offset).u32(data.length);
    offset += padded(data).length;
  }
  const file = concat([directory.toBytes(), ...tables.map(([, data]) => padded(data))]);

  // head.checkSumAdjustment makes the checksum of the whole file come out to 0xB1B0AFBA.
  const headOffset =
    12 + 16 * tables.length + tables.slice(0, 2).reduce((n, [, d]) => n + padded(d).length, 0);
  const adjustment = (0xb1b0afba - checksum(file)) >>> 0;
  new DataView(file.buffer).setUint32(headOffset + 8, adjustment);
  return file;
}
