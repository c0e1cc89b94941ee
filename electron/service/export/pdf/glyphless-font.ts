/**
 * The searchable PDF's font: a Type0 font with Identity-H encoding over the glyphless
 * TrueType. A character's code (its CID) is its Unicode code point, so any script the model
 * reads (Latin, CJK, ...) needs no glyph of ours; the ToUnicode map turns the codes back into
 * text when a viewer searches or copies. Characters beyond the BMP borrow the surrogate codes,
 * which no BMP character uses, and get their own ToUnicode entries.
 */
import { PDFDocument, PDFRef, PDFString } from 'pdf-lib';
import { ASCENT, buildGlyphlessTrueType, DESCENT, GLYPH_ADVANCE } from './glyphless-truetype';

const FONT_NAME = 'OcrDeskGlyphless';
const FIRST_BORROWED_CID = 0xd800;
const LAST_BORROWED_CID = 0xdfff;
/** bfrange and bfchar blocks may hold at most 100 entries each. */
const CMAP_BLOCK = 100;

export class GlyphlessFont {
  readonly ref: PDFRef;
  private readonly toUnicodeRef: PDFRef;
  /** Code points above U+FFFF, by the CID that stands for them. */
  private readonly borrowed = new Map<number, number>();
  private nextBorrowedCid = FIRST_BORROWED_CID;

  constructor(private readonly doc: PDFDocument) {
    const context = doc.context;
    const fontFile = buildGlyphlessTrueType(FONT_NAME);
    const fontFileRef = context.register(
      context.flateStream(fontFile, { Length1: fontFile.length }),
    );
    const descriptorRef = context.register(
      context.obj({
        Type: 'FontDescriptor',
        FontName: FONT_NAME,
        Flags: 4,
        FontBBox: [0, DESCENT, GLYPH_ADVANCE, ASCENT],
        ItalicAngle: 0,
        Ascent: ASCENT,
        Descent: DESCENT,
        CapHeight: ASCENT,
        StemV: 80,
        FontFile2: fontFileRef,
      }),
    );
    const cidFontRef = context.register(
      context.obj({
        Type: 'Font',
        Subtype: 'CIDFontType2',
        BaseFont: FONT_NAME,
        CIDSystemInfo: {
          Registry: PDFString.of('Adobe'),
          Ordering: PDFString.of('Identity'),
          Supplement: 0,
        },
        FontDescriptor: descriptorRef,
        DW: GLYPH_ADVANCE,
        CIDToGIDMap: context.register(context.flateStream(cidToGidMap())),
      }),
    );
    this.toUnicodeRef = context.nextRef();
    this.ref = context.register(
      context.obj({
        Type: 'Font',
        Subtype: 'Type0',
        BaseFont: FONT_NAME,
        Encoding: 'Identity-H',
        DescendantFonts: [cidFontRef],
        ToUnicode: this.toUnicodeRef,
      }),
    );
  }

  /** The text as a PDF hex string of two-byte codes, and how many codes (characters) it holds. */
  encode(text: string): { hex: string; count: number } {
    let hex = '';
    let count = 0;
    for (const char of text) {
      const cid = this.cidOf(char.codePointAt(0) ?? 0x20);
      if (cid === undefined) continue;
      hex += cid.toString(16).padStart(4, '0');
      count++;
    }
    return { hex: `<${hex}>`, count };
  }

  private cidOf(codePoint: number): number | undefined {
    if (codePoint < 0x20) return 0x20; // tabs and other controls read as a space
    if (codePoint <= 0xffff)
      return codePoint >= FIRST_BORROWED_CID && codePoint <= LAST_BORROWED_CID
        ? undefined
        : codePoint;
    for (const [cid, borrowed] of this.borrowed) if (borrowed === codePoint) return cid;
    if (this.nextBorrowedCid > LAST_BORROWED_CID) return undefined;
    const cid = this.nextBorrowedCid++;
    this.borrowed.set(cid, codePoint);
    return cid;
  }

  /** Writes the ToUnicode map; call once, after the last `encode`. */
  finish(): void {
    const stream = this.doc.context.flateStream(toUnicodeCMap(this.borrowed));
    this.doc.context.assign(this.toUnicodeRef, stream);
  }
}

/** Every CID but 0 shows glyph 1 (empty, half an em wide). */
function cidToGidMap(): Uint8Array {
  const map = new Uint8Array(0x10000 * 2);
  for (let cid = 1; cid < 0x10000; cid++) map[cid * 2 + 1] = 1;
  return map;
}

function hex4(value: number): string {
  return value.toString(16).toUpperCase().padStart(4, '0');
}

function utf16Hex(codePoint: number): string {
  const units = String.fromCodePoint(codePoint);
  let hex = '';
  for (let i = 0; i < units.length; i++) hex += hex4(units.charCodeAt(i));
  return hex;
}

function toUnicodeCMap(borrowed: Map<number, number>): string {
  const ranges: string[] = [];
  for (let high = 0; high <= 0xff; high++) {
    const first = high << 8;
    if (first >= FIRST_BORROWED_CID && first <= LAST_BORROWED_CID) continue;
    ranges.push(`<${hex4(first)}> <${hex4(first + 0xff)}> <${hex4(first)}>`);
  }
  const chars = [...borrowed].map(([cid, codePoint]) => `<${hex4(cid)}> <${utf16Hex(codePoint)}>`);
  const blocks = [
    ...chunks(ranges).map((b) => `${b.length} beginbfrange\n${b.join('\n')}\nendbfrange`),
    ...chunks(chars).map((b) => `${b.length} beginbfchar\n${b.join('\n')}\nendbfchar`),
  ];
  return [
    '/CIDInit /ProcSet findresource begin',
    '12 dict begin',
    'begincmap',
    '/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def',
    '/CMapName /OcrDesk-Identity-UCS def',
    '/CMapType 2 def',
    '1 begincodespacerange',
    '<0000> <FFFF>',
    'endcodespacerange',
    ...blocks,
    'endcmap',
    'CMapName currentdict /CMap defineresource pop',
    'end',
    'end',
  ].join('\n');
}

function chunks<T>(items: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CMAP_BLOCK) out.push(items.slice(i, i + CMAP_BLOCK));
  return out;
}
