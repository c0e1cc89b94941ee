/**
 * Builds the hostile-input suite into a folder the caller owns: every kind of file a user may
 * drop that is broken, lying, enormous, strange or vanishing, each with what the service must
 * answer. Everything is made here from the small corpus pages (sharp, pdf-lib, byte surgery);
 * nothing large is committed.
 */
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import type { ErrorCode } from '../../shared/errors';
import {
  makeEncryptedPdf,
  makeOwnerLockedPdf,
  makeTruncatedPdf,
  makeZeroSizeImagePdf,
  BORN_DIGITAL_LINES,
} from '../fixtures-gen/make-pdfs';
import {
  brokenMiddlePageTiff,
  corruptChunkCrc,
  jpegWithHeaderSize,
  pngWithHeaderSize,
} from './byte-surgery';
import {
  makeLongTextPdf,
  makePageTreeLoopPdf,
  makeRemoteLinksPdf,
  makeZeroSizePagePdf,
} from './hostile-pdfs';
import { makeFifo, unreadableFile } from './special-files';
import { CORPUS_DIR } from '../support/corpus-dir';

const CORPUS = CORPUS_DIR;
/** 400x400 RGBA page reading "from beyond / the Cosmic Void". */
export const COSMIC = join(CORPUS, 'tesseractjs-clean/cosmic.png');
/** 320x180 RGB page reading "HellO World". */
export const SIMPLE = join(CORPUS, 'tesseractjs-clean/simple.png');

/** Pages in the very long PDF: each carries its own text, so it is read without OCR. */
export const LONG_PDF_PAGES = 3000;

export type Expectation =
  | {
      status: 'completed';
      /** The text must match (case-insensitive); absent when any text, or none, is right. */
      text?: RegExp;
      /** Exact number of pages read. */
      pages?: number;
      /** At most this many lines in total (blank and tiny pages). */
      maxLines?: number;
      /** Pages that failed while the rest was read. */
      pageErrors?: number;
    }
  | { status: 'failed'; code: ErrorCode; message?: RegExp }
  /** A folder entry the walk must leave out without hanging. */
  | { status: 'skipped' };

export interface HostileCase {
  name: string;
  /** What is submitted (a file, or a folder for the folder cases). */
  path: string;
  expect: Expectation;
  /** Done while the queue is paused, after submission and before the task runs. */
  afterQueued?: () => void;
  /** Paths of a folder case that must come back as tasks (with their own expectation). */
  inside?: { path: string; expect: Expectation }[];
}

const READS_COSMIC = /cosmic/i;
const BORN_DIGITAL_TEXT = new RegExp(BORN_DIGITAL_LINES[0], 'i');

async function textPng(dir: string, name: string): Promise<string> {
  const path = join(dir, name);
  copyFileSync(COSMIC, path);
  return path;
}

function truncated(source: string, dest: string, fraction: number): string {
  const bytes = readFileSync(source);
  writeFileSync(dest, bytes.subarray(0, Math.floor(bytes.length * fraction)));
  return dest;
}

/** The cosmic page flattened to RGB on white, the base of the colour variants. */
function cosmicOnWhite() {
  return sharp(COSMIC).flatten({ background: '#ffffff' });
}

/**
 * A white strip with lines of black text at the given heights. Each line is an SVG label
 * composited in place, since librsvg renders no SVG past 32,767 px on a side.
 */
async function textStrip(
  dest: string,
  widthPx: number,
  heightPx: number,
  lines: { topPx: number; text: string }[],
): Promise<void> {
  const labels = lines.map((line) => ({
    input: Buffer.from(
      `<svg xmlns="http://www.w3.org/2000/svg" width="${Math.min(widthPx, 1200)}" height="60">` +
        `<rect width="100%" height="100%" fill="white"/>` +
        `<text x="20" y="44" font-family="DejaVu Sans" font-size="36">${line.text}</text></svg>`,
    ),
    top: line.topPx,
    left: 0,
  }));
  await sharp({ create: { width: widthPx, height: heightPx, channels: 3, background: '#fff' } })
    .composite(labels)
    .png({ palette: true, colours: 2 })
    .toFile(dest);
}

/**
 * `remoteUrl` is an address on 127.0.0.1 that files point at (an SVG image, a PDF link and
 * embedded file): the caller serves it and checks that nothing was ever fetched.
 */
export async function generateHostileInputs(
  dir: string,
  remoteUrl = 'http://127.0.0.1:9/',
): Promise<HostileCase[]> {
  mkdirSync(dir, { recursive: true });
  const at = (name: string) => join(dir, name);
  const cases: HostileCase[] = [];
  const add = (name: string, path: string, expect: Expectation, extra: Partial<HostileCase> = {}) =>
    cases.push({ name, path, expect, ...extra });
  const cosmicPng = await textPng(dir, 'cosmic-source.png');
  const cosmicJpg = at('cosmic-source.jpg');
  await cosmicOnWhite().jpeg({ quality: 92 }).toFile(cosmicJpg);
  const cosmicTiff = at('cosmic-source.tiff');
  await cosmicOnWhite().tiff().toFile(cosmicTiff);

  // Empty and truncated files.
  writeFileSync(at('empty.png'), '');
  add('empty PNG', at('empty.png'), { status: 'failed', code: 'invalid_input', message: /empty/i });
  writeFileSync(at('empty.pdf'), '');
  add('empty PDF', at('empty.pdf'), { status: 'failed', code: 'invalid_input', message: /empty/i });
  const damaged = { status: 'failed', code: 'invalid_input' } as const;
  add('truncated PNG', truncated(cosmicPng, at('truncated.png'), 0.5), damaged);
  add('truncated JPEG', truncated(cosmicJpg, at('truncated.jpg'), 0.4), damaged);
  add('truncated TIFF', truncated(cosmicTiff, at('truncated.tiff'), 0.3), damaged);
  const pdfSource = at('text-source.pdf');
  await makeLongTextPdf(pdfSource, 2);
  await makeTruncatedPdf(pdfSource, at('truncated.pdf'), 0.5);
  add('truncated PDF', at('truncated.pdf'), damaged);
  writeFileSync(at('signature-only.png'), Buffer.from('89504e470d0a1a0a', 'hex'));
  add('PNG signature and nothing else', at('signature-only.png'), damaged);
  writeFileSync(at('pdf-header-only.pdf'), '%PDF-1.7\n%%EOF\n');
  add('PDF header with no body', at('pdf-header-only.pdf'), damaged);
  writeFileSync(at('bad-crc.png'), corruptChunkCrc(readFileSync(cosmicPng), 'IDAT'));
  add('PNG with a corrupt chunk checksum', at('bad-crc.png'), damaged);

  // Lying names and things that are not documents.
  copyFileSync(cosmicPng, at('png-named-as.jpg'));
  add('PNG named .jpg', at('png-named-as.jpg'), { status: 'completed', text: READS_COSMIC });
  copyFileSync(cosmicJpg, at('jpeg-named-as.pdf'));
  add('JPEG named .pdf', at('jpeg-named-as.pdf'), { status: 'completed', text: READS_COSMIC });
  copyFileSync(cosmicPng, at('no-extension'));
  add('PNG with no extension', at('no-extension'), { status: 'completed', text: READS_COSMIC });
  writeFileSync(at('notes.png'), 'These are meeting notes, not a picture.\n'.repeat(20));
  const notADocument = { status: 'failed', code: 'unsupported_format' } as const;
  add('text file named .png', at('notes.png'), notADocument);
  writeFileSync(at('program.jpg'), readFileSync(process.execPath).subarray(0, 64 * 1024));
  add('ELF executable named .jpg', at('program.jpg'), notADocument);
  writeFileSync(
    at('remote.png'),
    `<svg xmlns="http://www.w3.org/2000/svg"><image href="${remoteUrl}svg-image.png"/></svg>`,
  );
  add('SVG with a remote image named .png', at('remote.png'), notADocument);
  writeFileSync(at('page.tiff'), '<html><body>Not a TIFF</body></html>');
  add('HTML named .tiff', at('page.tiff'), notADocument);

  // Sizes: bombs, 1x1, zero, strips.
  const tooLarge = { status: 'failed', code: 'image_too_large' } as const;
  writeFileSync(at('bomb.png'), pngWithHeaderSize(100_000, 100_000));
  add('PNG bomb (100,000 x 100,000 in a few hundred bytes)', at('bomb.png'), tooLarge);
  writeFileSync(at('bomb.jpg'), jpegWithHeaderSize(readFileSync(cosmicJpg), 65_000, 65_000));
  add('JPEG bomb (65,000 x 65,000 in its header)', at('bomb.jpg'), tooLarge);
  writeFileSync(at('zero-width.png'), pngWithHeaderSize(0, 10));
  add('PNG whose header says 0 px wide', at('zero-width.png'), damaged);
  await sharp({ create: { width: 1, height: 1, channels: 3, background: '#000' } })
    .png()
    .toFile(at('one-pixel.png'));
  add('1x1 image', at('one-pixel.png'), { status: 'completed', pages: 1, maxLines: 0 });
  await textStrip(at('tall-strip.png'), 800, 40_000, [
    { topPx: 200, text: 'Top of the strip' },
    { topPx: 20_000, text: 'Middle of the strip' },
    { topPx: 39_800, text: 'Bottom of the strip' },
  ]);
  add('800 x 40,000 strip', at('tall-strip.png'), {
    status: 'completed',
    text: /top of the strip[\s\S]*middle of the strip[\s\S]*bottom of the strip/i,
  });
  await textStrip(at('wide-strip.png'), 20_000, 120, [
    { topPx: 30, text: 'Left end of a very wide banner' },
  ]);
  add('20,000 x 120 strip', at('wide-strip.png'), { status: 'completed', text: /wide banner/i });
  const noise = Buffer.alloc(640 * 480 * 3);
  for (let i = 0; i < noise.length; i++) noise[i] = (i * 2654435761) >>> 24;
  await sharp(noise, { raw: { width: 640, height: 480, channels: 3 } })
    .png()
    .toFile(at('noise.png'));
  add('pure noise', at('noise.png'), { status: 'completed', pages: 1 });
  await sharp({ create: { width: 1240, height: 1754, channels: 3, background: '#fff' } })
    .png()
    .toFile(at('blank.png'));
  add('blank page', at('blank.png'), { status: 'completed', pages: 1, maxLines: 0 });

  // Colour, depth and orientation: all valid, all must read the text.
  const reads = { status: 'completed', text: READS_COSMIC } as const;
  const alpha = await sharp(COSMIC)
    .flatten({ background: '#fff' })
    .greyscale()
    .negate()
    .raw()
    .toBuffer();
  const black = Buffer.alloc(400 * 400 * 3);
  await sharp(black, { raw: { width: 400, height: 400, channels: 3 } })
    .joinChannel(alpha, { raw: { width: 400, height: 400, channels: 1 } })
    .png()
    .toFile(at('transparent.png'));
  add('transparent PNG, text only in alpha', at('transparent.png'), reads);
  await cosmicOnWhite().greyscale().ensureAlpha(1).png().toFile(at('grey-alpha.png'));
  add('grey + alpha PNG', at('grey-alpha.png'), reads);
  await cosmicOnWhite().png({ palette: true, colours: 8 }).toFile(at('palette.png'));
  add('palette PNG', at('palette.png'), reads);
  await cosmicOnWhite().toColourspace('rgb16').png().toFile(at('sixteen-bit.png'));
  add('16-bit PNG', at('sixteen-bit.png'), reads);
  await cosmicOnWhite().toColourspace('grey16').tiff().toFile(at('grey16.tiff'));
  add('16-bit grey TIFF', at('grey16.tiff'), reads);
  await cosmicOnWhite().toColourspace('cmyk').jpeg().toFile(at('cmyk-no-profile.jpg'));
  add('CMYK JPEG without a profile', at('cmyk-no-profile.jpg'), reads);
  await cosmicOnWhite().withIccProfile('cmyk').jpeg().toFile(at('cmyk-profile.jpg'));
  add('CMYK JPEG with a profile', at('cmyk-profile.jpg'), reads);
  await cosmicOnWhite().withIccProfile('p3').png().toFile(at('display-p3.png'));
  add('Display P3 PNG', at('display-p3.png'), reads);
  const adobeRgb = '/usr/share/color/icc/ghostscript/a98.icc';
  await cosmicOnWhite()
    .withIccProfile(existsSync(adobeRgb) ? adobeRgb : 'p3')
    .jpeg()
    .toFile(at('adobe-rgb.jpg'));
  add('Adobe RGB (1998) JPEG', at('adobe-rgb.jpg'), reads);
  await cosmicOnWhite()
    .rotate(-90)
    .jpeg()
    .withMetadata({ orientation: 6 })
    .toFile(at('exif-6.jpg'));
  add('EXIF-rotated JPEG (orientation 6)', at('exif-6.jpg'), reads);
  await cosmicOnWhite().webp().toFile(at('page.webp'));
  add('WebP', at('page.webp'), reads);

  // Several frames and pages.
  const frames = await Promise.all(
    [COSMIC, SIMPLE].map((p) =>
      sharp(p)
        .flatten({ background: '#fff' })
        .resize(400, 400, { fit: 'contain', background: '#fff' })
        .raw()
        .toBuffer(),
    ),
  );
  await sharp(Buffer.concat(frames), {
    raw: { width: 400, height: 800, channels: 3, pageHeight: 400 },
  })
    .gif({ delay: [500, 500], loop: 0 })
    .toFile(at('animated.gif'));
  add('animated GIF (first frame is the page)', at('animated.gif'), {
    status: 'completed',
    pages: 1,
    text: READS_COSMIC,
  });
  writeFileSync(at('broken-page.tiff'), await brokenMiddlePageTiff([COSMIC, SIMPLE, COSMIC]));
  add('3-page TIFF whose middle page is broken', at('broken-page.tiff'), {
    status: 'completed',
    text: READS_COSMIC,
    pageErrors: 1,
  });

  // PDFs.
  await makeOwnerLockedPdf(at('owner-locked.pdf'));
  add('encrypted PDF (owner password only, RC4)', at('owner-locked.pdf'), {
    status: 'completed',
    pages: 2,
    text: BORN_DIGITAL_TEXT,
  });
  await makeEncryptedPdf(at('password.pdf'));
  add('PDF that needs a password to open', at('password.pdf'), {
    status: 'failed',
    code: 'encrypted_document',
  });
  await makeZeroSizeImagePdf(at('zero-size-image.pdf'));
  add('PDF painting a 0 x 0 image', at('zero-size-image.pdf'), { status: 'completed', pages: 1 });
  await makeZeroSizePagePdf(at('zero-size-page.pdf'));
  // pdf.js falls back to a Letter page for a media box of no size: a blank page, read as one.
  add('PDF whose only page is 0 x 0 pt', at('zero-size-page.pdf'), {
    status: 'completed',
    pages: 1,
    maxLines: 0,
  });
  await makeLongTextPdf(at('three-thousand-pages.pdf'), LONG_PDF_PAGES);
  add(`PDF of ${LONG_PDF_PAGES} pages with their own text`, at('three-thousand-pages.pdf'), {
    status: 'completed',
    pages: LONG_PDF_PAGES,
    text: new RegExp(`page ${LONG_PDF_PAGES} of ${LONG_PDF_PAGES}`, 'i'),
  });
  await makeRemoteLinksPdf(at('remote-links.pdf'), remoteUrl);
  add('PDF with links and a file spec pointing at a server', at('remote-links.pdf'), {
    status: 'completed',
    pages: 1,
    text: /remote links/i,
  });
  await makePageTreeLoopPdf(at('page-tree-loop.pdf'));
  // The loop is noticed and left out; the two real pages are read.
  add('PDF whose page tree loops back on itself', at('page-tree-loop.pdf'), {
    status: 'completed',
    pages: 2,
    text: /loop page 1[\s\S]*loop page 2/i,
  });

  // Names and paths.
  add('name with spaces', await textPng(dir, 'a scan with  spaces .png'), reads);
  add('Unicode name', await textPng(dir, 'Übersicht – 文字 – čšž – 📄.png'), reads);
  const longName = `${'ü'.repeat(120)}-${'x'.repeat(6)}.png`; // 240 + 11 = 251 bytes
  add('name of 251 bytes', await textPng(dir, longName), reads);
  const deep = join(dir, ...Array.from({ length: 16 }, (_, i) => `level-${i}-${'d'.repeat(60)}`));
  mkdirSync(deep, { recursive: true });
  add('path over 1,000 bytes long', await textPng(deep, 'deep.png'), reads);

  // Folders and special files.
  const loopDir = at('folder-with-loop');
  mkdirSync(join(loopDir, 'sub'), { recursive: true });
  symlinkSync('..', join(loopDir, 'sub', 'back-up'));
  symlinkSync('self.png', join(loopDir, 'self.png'));
  const insideLoop = await textPng(join(loopDir, 'sub'), 'inside.png');
  add(
    'folder with a symlink loop',
    loopDir,
    { status: 'skipped' },
    {
      inside: [{ path: insideLoop, expect: reads }],
    },
  );
  symlinkSync('self-link.png', at('self-link.png'));
  add('symlink to itself', at('self-link.png'), { status: 'failed', code: 'file_not_found' });
  const [unreadable, unreadableExpect] = unreadableFile(dir, cosmicPng);
  add('unreadable file', unreadable, unreadableExpect);
  mkdirSync(at('folder-named.png'));
  add('folder named like a file', at('folder-named.png'), { status: 'skipped' });
  if (!unreadable.endsWith('pipe.png')) {
    makeFifo(at('pipe.png'));
    add('named pipe named .png', at('pipe.png'), { status: 'failed', code: 'invalid_input' });
  }

  // Files that change between submission and reading.
  const vanishing = await textPng(dir, 'deleted-after-queued.png');
  add(
    'file deleted after it was queued',
    vanishing,
    { status: 'failed', code: 'file_not_found' },
    {
      afterQueued: () => rmSync(vanishing, { force: true }),
    },
  );
  const changing = await textPng(dir, 'changed-after-queued.png');
  add('file turned into garbage after it was queued', changing, damaged, {
    afterQueued: () => writeFileSync(changing, readFileSync(cosmicPng).subarray(0, 300)),
  });
  const growing = at('replaced-after-queued.png');
  copyFileSync(SIMPLE, growing);
  add(
    'file replaced by a bigger page after it was queued',
    growing,
    {
      status: 'completed',
      text: /strip/i,
    },
    {
      afterQueued: () => copyFileSync(join(dir, 'tall-strip.png'), growing),
    },
  );
  const bombing = await textPng(dir, 'bomb-after-queued.png');
  add('file replaced by a bomb after it was queued', bombing, tooLarge, {
    afterQueued: () => copyFileSync(at('bomb.png'), bombing),
  });

  return cases;
}
