import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020';
import { XMLParser } from 'fast-xml-parser';
import type { ExportDocument } from '../../../../shared/domain';
import { createEngine } from '../../../../electron/service/engine/index';
import { writeExport } from '../../../../electron/service/export/index';
import { makeBlock, makeLine, makePage } from './page-fixtures';
import { CORPUS_DIR } from '../../../support/corpus-dir';

const TESTOCR = join(CORPUS_DIR, 'tesseractjs-clean/testocr.png');
const SCHEMA_PATH = join(import.meta.dirname, '../../../../resources/schemas/ocr-result.v1.json');

let dir: string;
/** A real result: the engine's reading of a corpus page. */
let recognised: ExportDocument;
/** A hand-made two-page result with text that XML and JSON must escape. */
let handMade: ExportDocument;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ocr-desk-formats-'));
  const engine = await createEngine({ workers: 1 });
  try {
    const result = await engine.recognizeDocument(TESTOCR);
    recognised = { sourcePath: TESTOCR, info: result.info, pages: result.pages };
  } finally {
    await engine.close();
  }
  const page1 = makePage(0, 1000, 800, [
    makeBlock([
      makeLine('Fish & "chips" <hot>', { x: 50, y: 40, width: 400, height: 30 }),
      makeLine("Tom's café — 中文", { x: 50, y: 80, width: 380, height: 30 }),
    ]),
    makeBlock([makeLine('Total 12.50', { x: 600, y: 700, width: 300, height: 40 })]),
  ]);
  const page2 = makePage(1, 1000, 800, []);
  handMade = {
    sourcePath: '/scans/a "quoted" & <odd> name.tiff',
    info: { format: 'tiff', pageCount: 2, widthPx: 1000, heightPx: 800, fileSizeBytes: 1234 },
    pages: [page1, page2],
  };
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function exported(format: 'json' | 'hocr' | 'alto', doc: ExportDocument, name: string) {
  const path = join(dir, name);
  await writeExport(format, doc, path);
  return readFile(path, 'utf8');
}

const asArray = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

describe('JSON export', () => {
  test('validates against the versioned schema and keeps every line', async () => {
    const schema = JSON.parse(await readFile(SCHEMA_PATH, 'utf8'));
    const compiled = new Ajv2020({ allErrors: true, strict: true }).compile(schema);
    // Ajv's type guard would narrow the parsed output to unknown; a plain boolean keeps it.
    const validate = (data: unknown): boolean => compiled(data) === true;
    for (const [name, doc] of [
      ['recognised', recognised],
      ['hand-made', handMade],
    ] as const) {
      const output = JSON.parse(await exported('json', doc, `${name}.json`));
      assert.ok(validate(output), `${name}: ${JSON.stringify(compiled.errors, null, 1)}`);
      assert.equal(output.schemaVersion, '1.0');
      const lines = output.pages.flatMap((p: { blocks: { lines: { text: string }[] }[] }) =>
        p.blocks.flatMap((b) => b.lines.map((l) => l.text)),
      );
      const expected = doc.pages.flatMap((p) =>
        p.blocks.flatMap((b) => b.lines.map((l) => l.text)),
      );
      assert.deepEqual(lines, expected);
    }
  });

  test('the schema refuses what it should', async () => {
    const schema = JSON.parse(await readFile(SCHEMA_PATH, 'utf8'));
    const compiled = new Ajv2020({ strict: true }).compile(schema);
    const validate = (data: unknown): boolean => compiled(data) === true;
    const good = JSON.parse(await exported('json', handMade, 'strict.json'));
    assert.ok(validate(good));
    assert.ok(!validate({ ...good, schemaVersion: '2.0' }), 'an unknown version passed');
    const badConfidence = structuredClone(good);
    badConfidence.pages[0].blocks[0].lines[0].confidence = 1.5;
    assert.ok(!validate(badConfidence), 'a confidence over 1 passed');
    const extra = structuredClone(good);
    extra.pages[0].surprise = true;
    assert.ok(!validate(extra), 'an unknown field passed');
  });
});

describe('hOCR export', () => {
  test('nests page, area, paragraph, line and word, with boxes inside the page', async () => {
    for (const [name, doc] of [
      ['recognised', recognised],
      ['hand-made', handMade],
    ] as const) {
      const xml = await exported('hocr', doc, `${name}.hocr`);
      const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml);
      assert.equal(parsed.html.xmlns, 'http://www.w3.org/1999/xhtml');
      const metas = asArray(parsed.html.head.meta) as { name?: string; content: string }[];
      assert.match(metas.find((m) => m.name === 'ocr-capabilities')?.content ?? '', /ocrx_word/);

      const pages = asArray(parsed.html.body.div);
      assert.equal(pages.length, doc.pages.length);
      let wordCount = 0;
      pages.forEach((page, p) => {
        assert.equal(page.class, 'ocr_page');
        const size = [doc.pages[p].widthPx, doc.pages[p].heightPx];
        assert.match(page.title, new RegExp(`bbox 0 0 ${size[0]} ${size[1]}`));
        for (const area of asArray(page.div)) {
          assert.equal(area.class, 'ocr_carea');
          const par = area.p;
          assert.equal(par.class, 'ocr_par');
          for (const line of asArray(par.span)) {
            assert.equal(line.class, 'ocr_line');
            const lineBox = bboxOf(line.title);
            assertInside(lineBox, [0, 0, size[0], size[1]], 'line');
            const base = /baseline (-?[\d.]+) (-?\d+)/.exec(line.title);
            assert.ok(base, `no baseline in "${line.title}"`);
            const [slope, offset] = [Number(base[1]), Number(base[2])];
            assert.ok(Math.abs(slope) < 1, `baseline slope ${slope}`);
            assert.ok(offset <= 1 && offset >= -(lineBox[3] - lineBox[1]) - 1, `offset ${offset}`);
            for (const word of asArray(line.span)) {
              assert.equal(word.class, 'ocrx_word');
              assertInside(bboxOf(word.title), [0, 0, size[0], size[1]], 'word');
              const conf = Number(/x_wconf (\d+)/.exec(word.title)?.[1]);
              assert.ok(conf >= 0 && conf <= 100, word.title);
              wordCount++;
            }
          }
        }
      });
      const expectedWords = doc.pages
        .flatMap((p) => p.blocks.flatMap((b) => b.lines))
        .flatMap((l) => l.words);
      assert.equal(wordCount, expectedWords.length, name);
    }
  });

  test('escapes text so that it reads back unchanged', async () => {
    const xml = await exported('hocr', handMade, 'escape.hocr');
    const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml);
    const lines = asArray(asArray(parsed.html.body.div)[0].div)[0].p.span;
    const words = asArray(lines[0].span).map((w: { '#text': string }) => String(w['#text']));
    assert.equal(words.join(' '), 'Fish & "chips" <hot>');
  });
});

describe('ALTO export', () => {
  test('is ALTO v4 in pixels: Page > PrintSpace > TextBlock > TextLine > String, SP between words', async () => {
    for (const [name, doc] of [
      ['recognised', recognised],
      ['hand-made', handMade],
    ] as const) {
      const xml = await exported('alto', doc, `${name}.alto.xml`);
      const parsed = new XMLParser({
        ignoreAttributes: false,
        attributeNamePrefix: '',
        preserveOrder: false,
      }).parse(xml);
      const alto = parsed.alto;
      assert.equal(alto.xmlns, 'http://www.loc.gov/standards/alto/ns-v4#');
      assert.equal(alto.Description.MeasurementUnit, 'pixel');
      const pages = asArray(alto.Layout.Page);
      assert.equal(pages.length, doc.pages.length);
      const ids = new Set<string>();
      let strings = 0;
      pages.forEach((page, p) => {
        const size = [doc.pages[p].widthPx, doc.pages[p].heightPx];
        assert.deepEqual([Number(page.WIDTH), Number(page.HEIGHT)], size);
        assert.ok(page.ID && page.PHYSICAL_IMG_NR);
        const space = page.PrintSpace;
        assert.ok(space, 'Page without PrintSpace');
        for (const block of asArray(space.TextBlock)) {
          assertPosition(block, size, ids);
          for (const line of asArray(block.TextLine)) {
            assertPosition(line, size, ids);
            const words = asArray(line.String);
            assert.ok(words.length > 0, 'a TextLine needs a String');
            assert.equal(
              asArray(line.SP).length,
              words.length - 1,
              'one SP between each two words',
            );
            for (const word of words) {
              assertPosition(word, size, ids);
              assert.ok(typeof word.CONTENT === 'string' || typeof word.CONTENT === 'number');
              const wc = Number(word.WC);
              assert.ok(wc >= 0 && wc <= 1, `WC ${word.WC}`);
              strings++;
            }
          }
        }
      });
      const expected = doc.pages
        .flatMap((p) => p.blocks.flatMap((b) => b.lines))
        .flatMap((l) => l.words);
      assert.equal(strings, expected.length, name);
    }
  });

  test('CONTENT keeps special characters', async () => {
    const xml = await exported('alto', handMade, 'escape.alto.xml');
    const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml);
    const line = asArray(asArray(parsed.alto.Layout.Page)[0].PrintSpace.TextBlock)[0].TextLine[0];
    const content = asArray(line.String).map((s: { CONTENT: string }) => s.CONTENT);
    assert.deepEqual(content, ['Fish', '&', '"chips"', '<hot>']);
  });
});

function bboxOf(title: string): number[] {
  const match = /bbox (\d+) (\d+) (\d+) (\d+)/.exec(title);
  assert.ok(match, `no bbox in "${title}"`);
  return match.slice(1).map(Number);
}

function assertInside(box: number[], page: number[], what: string) {
  const [x0, y0, x1, y1] = box;
  assert.ok(x0 <= x1 && y0 <= y1, `${what} box ${box} is inverted`);
  assert.ok(
    x0 >= page[0] && y0 >= page[1] && x1 <= page[2] && y1 <= page[3],
    `${what} ${box} outside the page`,
  );
}

function assertPosition(node: Record<string, string>, size: number[], ids: Set<string>) {
  for (const attr of ['ID', 'HPOS', 'VPOS', 'WIDTH', 'HEIGHT'])
    assert.ok(node[attr] !== undefined, `missing ${attr}`);
  assert.ok(!ids.has(node.ID), `duplicate ID ${node.ID}`);
  ids.add(node.ID);
  const [x, y, w, h] = ['HPOS', 'VPOS', 'WIDTH', 'HEIGHT'].map((a) => Number(node[a]));
  assertInside([x, y, x + w, y + h], [0, 0, size[0], size[1]], node.ID);
}
