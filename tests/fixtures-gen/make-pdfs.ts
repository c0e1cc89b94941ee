/**
 * Builds the PDFs the PDF-input and export tests read, in a folder the caller owns (a temp
 * folder): nothing here is committed, so a 300-page file costs nothing in git.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  degrees,
  PDFDocument,
  PDFName,
  PDFNumber,
  PDFHexString,
  PDFRef,
  StandardFonts,
  rgb,
} from 'pdf-lib';
import sharp from 'sharp';
import { encryptWithOwnerPassword } from './pdf-encryption';

/**
 * Wraps page images in a PDF, one page each, sized as if scanned at `dpi`. An image named
 * twice is embedded twice, as a scanner would write two scans of one sheet.
 */
export async function makeScannedPdf(imagePaths: string[], dest: string, dpi = 300): Promise<void> {
  const doc = await PDFDocument.create();
  // Converted once per file: a long PDF repeats a few images many times.
  const converted = new Map<string, Promise<PdfImageBytes>>();
  for (const path of imagePaths) {
    const pending = converted.get(path) ?? imageBytesForPdf(path);
    converted.set(path, pending);
    const { bytes, isJpeg } = await pending;
    const image = isJpeg ? await doc.embedJpg(bytes) : await doc.embedPng(bytes);
    const page = doc.addPage([(image.width * 72) / dpi, (image.height * 72) / dpi]);
    page.drawImage(image, { x: 0, y: 0, width: page.getWidth(), height: page.getHeight() });
  }
  await writeFile(dest, await doc.save());
}

interface PdfImageBytes {
  bytes: Buffer;
  isJpeg: boolean;
}

async function imageBytesForPdf(path: string): Promise<PdfImageBytes> {
  const bytes = await readFile(path);
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return { bytes, isJpeg: true };
  // pdf-lib embeds only PNG and JPEG; TIFF pages become PNG.
  if (bytes[0] === 0x89) return { bytes, isJpeg: false };
  return { bytes: await sharp(bytes).png().toBuffer(), isJpeg: false };
}

export const BORN_DIGITAL_LINES = [
  'Quarterly report of the harbour office',
  'Ships registered this quarter: 42',
  'The pilots worked 1,234 hours in total.',
];

/**
 * A two-page PDF with real (vector) text in Courier (fixed pitch, so a word's place in its
 * line follows from its characters), as an office suite would write it; `rotation`
 * sets each page's /Rotate, and `cropInsetPt` a crop box inside the media box; `withoutText`
 * gives the same pages blank.
 */
export async function makeBornDigitalPdf(
  dest: string,
  options: { rotation?: number; cropInsetPt?: number; withoutText?: boolean } = {},
): Promise<void> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Courier);
  for (let p = 0; p < 2; p++) {
    const page = doc.addPage([612, 792]);
    page.setRotation(degrees(options.rotation ?? 0));
    const inset = options.cropInsetPt ?? 0;
    if (inset > 0) page.setCropBox(inset, inset, 612 - 2 * inset, 792 - 2 * inset);
    if (options.withoutText) continue;
    BORN_DIGITAL_LINES.forEach((line, i) => {
      page.drawText(`${line}${p === 1 ? ' (continued)' : ''}`, {
        x: 72,
        y: 700 - i * 28,
        size: 16,
        font,
        color: rgb(0, 0, 0),
      });
    });
  }
  await writeFile(dest, await doc.save());
}

/**
 * A PDF whose standard security handler needs a user password we do not know: the /U entry
 * matches no password, so every reader must refuse it (as with a real password-protected file).
 */
export async function makeEncryptedPdf(dest: string): Promise<void> {
  const doc = await PDFDocument.create();
  doc.addPage([200, 200]);
  const filled = (byte: number) => PDFHexString.of(byte.toString(16).padStart(2, '0').repeat(32));
  const encrypt = doc.context.obj({
    Filter: 'Standard',
    V: 1,
    R: 2,
    Length: 40,
    O: filled(0x5a),
    U: filled(0xa5),
    P: PDFNumber.of(-4),
  });
  const id = PDFHexString.of('0123456789abcdef0123456789abcdef');
  doc.context.trailerInfo.Encrypt = doc.context.register(encrypt);
  doc.context.trailerInfo.ID = doc.context.obj([id, id]);
  await writeFile(dest, await doc.save({ useObjectStreams: false }));
}

/**
 * A full-page scan carrying a little real text, or, with `ocrLayer`, the scan's own text laid
 * over it invisibly in many lines (as an earlier OCR run leaves it).
 */
export async function makeScanWithTextPdf(
  dest: string,
  scanImage: string,
  options: { ocrLayer?: boolean } = {},
): Promise<void> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const { bytes, isJpeg } = await imageBytesForPdf(scanImage);
  const image = isJpeg ? await doc.embedJpg(bytes) : await doc.embedPng(bytes);
  const page = doc.addPage([612, 792]);
  page.drawImage(image, { x: 0, y: 0, width: 612, height: 792 });
  if (!options.ocrLayer) {
    page.drawText('Scanned by ACME 3000 - page 1 of 1', { x: 20, y: 12, size: 7, font });
  } else {
    for (let i = 0; i < 30; i++) {
      const line = BORN_DIGITAL_LINES[i % BORN_DIGITAL_LINES.length];
      page.drawText(line, { x: 40, y: 760 - i * 24, size: 18, font, opacity: 0 });
    }
  }
  await writeFile(dest, await doc.save());
}

/**
 * A born-digital PDF protected the everyday way: no password needed to open it (so it is
 * read like any other), but encrypted with an owner password, which pdf-lib cannot copy.
 */
export async function makeOwnerLockedPdf(dest: string): Promise<void> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  const font = await doc.embedFont(StandardFonts.Courier);
  for (let p = 0; p < 2; p++) {
    const page = doc.addPage([612, 792]);
    BORN_DIGITAL_LINES.forEach((line, i) => {
      page.drawText(line, { x: 72, y: 700 - i * 28, size: 16, font });
    });
  }
  // Content streams are only filled in on save: save once, then load the result to encrypt it.
  const plain = await PDFDocument.load(await doc.save({ useObjectStreams: false }), {
    updateMetadata: false,
  });
  encryptWithOwnerPassword(plain, 'owner-secret');
  await writeFile(dest, await plain.save({ useObjectStreams: false }));
}

/** A valid PDF cut to `keepFraction` of its bytes, as a failed download leaves it. */
export async function makeTruncatedPdf(source: string, dest: string, keepFraction = 0.4) {
  const bytes = await readFile(source);
  await writeFile(dest, bytes.subarray(0, Math.floor(bytes.length * keepFraction)));
}

/** A page that paints an image XObject declared 0 x 0 pixels, with no data. */
export async function makeZeroSizeImagePdf(dest: string): Promise<void> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([300, 300]);
  const image = doc.context.stream(new Uint8Array(0), {
    Type: 'XObject',
    Subtype: 'Image',
    Width: 0,
    Height: 0,
    ColorSpace: 'DeviceRGB',
    BitsPerComponent: 8,
  });
  const imageRef = doc.context.register(image);
  page.node.setXObject(PDFName.of('Im0'), imageRef);
  const content = doc.context.stream('q 200 0 0 200 50 50 cm /Im0 Do Q');
  page.node.set(PDFName.of('Contents'), doc.context.register(content));
  await writeFile(dest, await doc.save());
}

/**
 * Three pages where the middle one is broken: its page-tree entry is an intermediate node
 * (so readers can still count and skip it) whose only kid refers to an object that does not
 * exist. Pages 1 and 3 are fine.
 */
export async function makeBrokenPagePdf(dest: string): Promise<void> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let p = 0; p < 3; p++) {
    const page = doc.addPage([300, 300]);
    page.drawText(`Page number ${p + 1}`, { x: 40, y: 150, size: 18, font });
  }
  const kids = doc.catalog.Pages().Kids();
  const missing = PDFRef.of(doc.context.largestObjectNumber + 100);
  const brokenNode = doc.context.obj({ Type: 'Pages', Count: 1, Kids: [missing] });
  brokenNode.set(PDFName.of('Parent'), doc.catalog.get(PDFName.of('Pages')) as PDFRef);
  kids.set(1, doc.context.register(brokenNode));
  await writeFile(dest, await doc.save({ useObjectStreams: false }));
}

/**
 * A long scan: `pageCount` pages, each its own distinct JPEG (so no reader can share one
 * decoded image between pages), scanned at `dpi`.
 */
export async function makeLongScannedPdf(dest: string, pageCount: number, dpi = 150) {
  const doc = await PDFDocument.create();
  const widthPx = Math.round(8.5 * dpi);
  const heightPx = Math.round(11 * dpi);
  for (let p = 0; p < pageCount; p++) {
    const shade = 200 + (p % 50);
    const jpeg = await sharp({
      create: {
        width: widthPx,
        height: heightPx,
        channels: 3,
        background: { r: shade, g: shade, b: shade },
      },
    })
      .composite([{ input: stripe(widthPx, p), top: 40 + (p % 300), left: 0 }])
      .jpeg({ quality: 70 })
      .toBuffer();
    const image = await doc.embedJpg(jpeg);
    const page = doc.addPage([612, 792]);
    page.drawImage(image, { x: 0, y: 0, width: 612, height: 792 });
  }
  await writeFile(dest, await doc.save());
}

function stripe(widthPx: number, seed: number): Buffer {
  const heightPx = 20;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${widthPx}" height="${heightPx}">
    <rect x="${seed % 100}" y="0" width="${widthPx / 2}" height="${heightPx}" fill="black"/></svg>`;
  return Buffer.from(svg);
}

/** Writes every small fixture into `dir` and returns their paths. */
export async function makeAllPdfFixtures(dir: string, scanImages: string[]) {
  const paths = {
    scanned: join(dir, 'scanned.pdf'),
    bornDigital: join(dir, 'born-digital.pdf'),
    encrypted: join(dir, 'encrypted.pdf'),
    truncated: join(dir, 'truncated.pdf'),
    zeroSizeImage: join(dir, 'zero-size-image.pdf'),
    brokenPage: join(dir, 'broken-page.pdf'),
    stampedScan: join(dir, 'stamped-scan.pdf'),
    ocrdScan: join(dir, 'ocrd-scan.pdf'),
  };
  await makeScannedPdf(scanImages, paths.scanned);
  await makeBornDigitalPdf(paths.bornDigital);
  await makeEncryptedPdf(paths.encrypted);
  await makeTruncatedPdf(paths.scanned, paths.truncated);
  await makeZeroSizeImagePdf(paths.zeroSizeImage);
  await makeBrokenPagePdf(paths.brokenPage);
  await makeScanWithTextPdf(paths.stampedScan, scanImages[0]);
  await makeScanWithTextPdf(paths.ocrdScan, scanImages[0], { ocrLayer: true });
  return paths;
}
