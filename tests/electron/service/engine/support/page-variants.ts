/**
 * Builds, from real corpus pages, the image files a user may hand the engine: every format,
 * bit depth, colour space, transparency and orientation it must read the same text from.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp, { type Metadata } from 'sharp';
import { encodeBmp } from './bmp-writer';
import { corpusPath } from './corpus-files';
import { encodeGreyTiff, greyPageOf } from './tiff-writer';

export const TESTOCR = corpusPath('tesseractjs-clean/testocr.png');
export const SIMPLE = corpusPath('tesseractjs-clean/simple.png');
export const COSMIC = corpusPath('tesseractjs-clean/cosmic.png');

export interface PageVariants {
  /**
   * JPEGs whose pixels are stored turned, with the EXIF orientation that turns them back:
   * 3 (stored upside down), 6 (stored turned 90° counter-clockwise), 8 (90° clockwise).
   */
  exifJpegs: Record<ExifOrientation, string>;
  /** Grey + alpha; the paper is transparent over black grey values. */
  greyAlphaPng: string;
  /** RGB black everywhere; only the alpha channel carries the text. */
  transparentPng: string;
  cmykJpeg: string;
  rgb16Png: string;
  grey16Png: string;
  /** Three different pages: testocr, simple, cosmic. */
  multiPageTiff: string;
  /** Pages of different sizes, the largest in the middle: simple, testocr, cosmic. */
  mixedSizeTiff: string;
  /** The page turned clockwise by 90°, 180° and 270°, with no EXIF tag. */
  turned90Png: string;
  turned180Png: string;
  turned270Png: string;
  bmp: string;
  gif: string;
  /** Two frames, testocr then cosmic: only the first is a page. */
  animatedGif: string;
  webp: string;
  /** The page stacked STRIP_COPIES times, one above the other: a strip the detector tiles. */
  longStripPng: string;
  /** testocr's first paragraph as a left column, its second as a right column beside it. */
  twoColumnPng: string;
  /** The page shrunk to these shares of its size: small type, as on forms and dense scans. */
  smallTypePngs: Record<SmallTypeScale, string>;
}

export const SMALL_TYPE_SCALES = [0.75, 0.5] as const;
export type SmallTypeScale = (typeof SMALL_TYPE_SCALES)[number];

export const STRIP_COPIES = 6;

export type ExifOrientation = 3 | 6 | 8;

/** How the pixels are turned (clockwise, degrees) before each EXIF tag is set to undo it. */
const STORED_TURN: Record<ExifOrientation, number> = { 3: 180, 6: -90, 8: 90 };

/** The testocr page on white, as 8-bit RGB. */
function upright() {
  return sharp(TESTOCR).flatten({ background: '#ffffff' }).removeAlpha();
}

export async function buildPageVariants(dir: string): Promise<PageVariants> {
  const at = (name: string) => join(dir, name);
  const v: PageVariants = {
    exifJpegs: { 3: at('exif-3.jpg'), 6: at('exif-6.jpg'), 8: at('exif-8.jpg') },
    greyAlphaPng: at('grey-alpha.png'),
    transparentPng: at('transparent.png'),
    cmykJpeg: at('cmyk.jpg'),
    rgb16Png: at('rgb16.png'),
    grey16Png: at('grey16.png'),
    multiPageTiff: at('three-pages.tiff'),
    mixedSizeTiff: at('mixed-sizes.tiff'),
    turned90Png: at('turned-90.png'),
    turned180Png: at('turned-180.png'),
    turned270Png: at('turned-270.png'),
    bmp: at('page.bmp'),
    gif: at('page.gif'),
    animatedGif: at('animated.gif'),
    webp: at('page.webp'),
    longStripPng: at('long-strip.png'),
    twoColumnPng: at('two-columns.png'),
    smallTypePngs: { 0.75: at('small-type-75.png'), 0.5: at('small-type-50.png') },
  };
  const grey = await upright().greyscale().raw().toBuffer({ resolveWithObject: true });

  await Promise.all([
    ...([3, 6, 8] as const).map((orientation) =>
      upright()
        .rotate(STORED_TURN[orientation])
        .withMetadata({ orientation })
        .jpeg({ quality: 92 })
        .toFile(v.exifJpegs[orientation]),
    ),
    writeGreyAlpha(grey.data, grey.info.width, grey.info.height, v.greyAlphaPng),
    writeAlphaOnly(grey.data, grey.info.width, grey.info.height, v.transparentPng),
    upright().toColourspace('cmyk').jpeg({ quality: 92 }).toFile(v.cmykJpeg),
    upright().toColourspace('rgb16').png().toFile(v.rgb16Png),
    upright().toColourspace('grey16').png().toFile(v.grey16Png),
    writeMultiPageTiff(v.multiPageTiff),
    writeMixedSizeTiff(v.mixedSizeTiff),
    upright().rotate(90).png().toFile(v.turned90Png),
    upright().rotate(180).png().toFile(v.turned180Png),
    upright().rotate(270).png().toFile(v.turned270Png),
    writeBmp(v.bmp),
    upright().gif().toFile(v.gif),
    writeAnimatedGif(v.animatedGif),
    upright().webp({ quality: 90 }).toFile(v.webp),
    writeLongStrip(v.longStripPng),
    writeTwoColumns(v.twoColumnPng),
    ...SMALL_TYPE_SCALES.map((scale) =>
      upright()
        .resize(Math.round(640 * scale))
        .png()
        .toFile(v.smallTypePngs[scale]),
    ),
  ]);
  await assertBuiltAsIntended(v);
  return v;
}

/** Text pixels opaque and grey; paper fully transparent with a black grey value under it. */
async function writeGreyAlpha(grey: Buffer, width: number, height: number, path: string) {
  const pixels = Buffer.alloc(width * height * 2);
  for (let i = 0; i < width * height; i++) {
    const isText = grey[i] < 160;
    pixels[i * 2] = isText ? grey[i] : 0;
    pixels[i * 2 + 1] = isText ? 255 : 0;
  }
  await sharp(pixels, { raw: { width, height, channels: 2 } })
    .toColourspace('b-w')
    .png()
    .toFile(path);
}

/** Black RGB everywhere; opacity is the darkness of the original, so only alpha holds the text. */
async function writeAlphaOnly(grey: Buffer, width: number, height: number, path: string) {
  const pixels = Buffer.alloc(width * height * 4);
  for (let i = 0; i < width * height; i++) pixels[i * 4 + 3] = 255 - grey[i];
  await sharp(pixels, { raw: { width, height, channels: 4 } })
    .png()
    .toFile(path);
}

/** Corpus pages on white, padded to one size (TIFF frames joined by sharp share a size). */
function framesOf(paths: string[]): Promise<Buffer[]> {
  return Promise.all(
    paths.map((path) =>
      sharp(path)
        .flatten({ background: '#ffffff' })
        .resize(640, 480, { fit: 'contain', background: '#ffffff' })
        .removeAlpha()
        .png()
        .toBuffer(),
    ),
  );
}

async function writeMultiPageTiff(path: string) {
  const frames = await framesOf([TESTOCR, SIMPLE, COSMIC]);
  await sharp(frames, { join: { animated: true } })
    .tiff({ compression: 'lzw' })
    .toFile(path);
}

export async function writeMixedSizeTiff(path: string) {
  const pages = await Promise.all([SIMPLE, TESTOCR, COSMIC].map((p) => greyPageOf(p)));
  await writeFile(path, encodeGreyTiff(pages));
}

async function writeAnimatedGif(path: string) {
  const frames = await framesOf([TESTOCR, COSMIC]);
  await sharp(frames, { join: { animated: true } })
    .gif()
    .toFile(path);
}

async function writeLongStrip(path: string) {
  const page = await upright().png().toBuffer();
  const { width = 0, height = 0 } = await sharp(page).metadata();
  await sharp({
    create: { width, height: height * STRIP_COPIES, channels: 3, background: '#ffffff' },
  })
    .composite(
      Array.from({ length: STRIP_COPIES }, (_, i) => ({ input: page, top: i * height, left: 0 })),
    )
    .png()
    .toFile(path);
}

async function writeTwoColumns(path: string) {
  // Where testocr's two paragraphs lie, in its pixels.
  const firstParagraph = { left: 20, top: 85, width: 610, height: 105 };
  const secondParagraph = { left: 20, top: 190, width: 610, height: 175 };
  const [left, right] = await Promise.all(
    [firstParagraph, secondParagraph].map((area) => upright().extract(area).png().toBuffer()),
  );
  await sharp({ create: { width: 1320, height: 300, channels: 3, background: '#ffffff' } })
    .composite([
      { input: left, left: 20, top: 40 },
      { input: right, left: 690, top: 40 },
    ])
    .png()
    .toFile(path);
}

async function writeBmp(path: string) {
  await writeFile(path, await encodeBmp(upright()));
}

/** Guards the fixtures themselves: a variant that is not what it claims proves nothing. */
async function assertBuiltAsIntended(v: PageVariants): Promise<void> {
  const check = async (path: string, want: Partial<Metadata>) => {
    const meta: Partial<Metadata> = await sharp(path).metadata();
    for (const key of Object.keys(want) as (keyof Metadata)[]) {
      if (meta[key] !== want[key]) {
        throw new Error(`${path}: ${key} is ${String(meta[key])}, not ${String(want[key])}`);
      }
    }
  };
  await Promise.all([
    check(v.exifJpegs[3], { orientation: 3, width: 640, height: 480 }),
    check(v.exifJpegs[6], { orientation: 6, width: 480, height: 640 }),
    check(v.exifJpegs[8], { orientation: 8, width: 480, height: 640 }),
    check(v.greyAlphaPng, { channels: 2, hasAlpha: true }),
    check(v.transparentPng, { channels: 4, hasAlpha: true }),
    check(v.cmykJpeg, { space: 'cmyk', channels: 4 }),
    check(v.rgb16Png, { depth: 'ushort', channels: 3 }),
    check(v.grey16Png, { depth: 'ushort', channels: 1 }),
    check(v.multiPageTiff, { pages: 3 }),
    check(v.mixedSizeTiff, { pages: 3, width: 320, height: 180 }),
    check(v.turned90Png, { width: 480, height: 640 }),
    check(v.animatedGif, { pages: 2 }),
    check(v.longStripPng, { width: 640, height: 480 * STRIP_COPIES }),
  ]);
}
