/** PDFs built to hurt a reader: thousands of pages, a page tree that loops, a page of no size. */
import { writeFile } from 'node:fs/promises';
import { PDFDocument, PDFName, PDFRef, PDFString, StandardFonts } from 'pdf-lib';

/**
 * `pageCount` small pages (a label size, 200 x 60 pt), each with its own line of real text
 * "Page N of M": a long document that must be read from its text, page after page.
 */
export async function makeLongTextPdf(dest: string, pageCount: number): Promise<void> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let p = 1; p <= pageCount; p++) {
    const page = doc.addPage([200, 60]);
    page.drawText(`Page ${p} of ${pageCount}`, { x: 12, y: 24, size: 14, font });
  }
  await writeFile(dest, await doc.save());
}

/**
 * Two pages, and the root of the page tree lists itself among its kids: a reader that walks
 * the tree without remembering where it has been never ends.
 */
export async function makePageTreeLoopPdf(dest: string): Promise<void> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let p = 1; p <= 2; p++) {
    doc.addPage([300, 200]).drawText(`Loop page ${p}`, { x: 20, y: 100, size: 18, font });
  }
  const rootRef = doc.catalog.get(PDFName.of('Pages')) as PDFRef;
  doc.catalog.Pages().Kids().push(rootRef);
  await writeFile(dest, await doc.save({ useObjectStreams: false }));
}

/** One page whose media box is 0 x 0 pt. */
export async function makeZeroSizePagePdf(dest: string): Promise<void> {
  const doc = await PDFDocument.create();
  doc.addPage([0, 0]);
  await writeFile(dest, await doc.save());
}

/**
 * A page of text with a link annotation to `url` and an open action launching a remote file
 * spec: a reader that follows either would reach the network.
 */
export async function makeRemoteLinksPdf(dest: string, url: string): Promise<void> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const page = doc.addPage([400, 200]);
  page.drawText('Remote links inside', { x: 20, y: 100, size: 20, font });
  const link = doc.context.obj({
    Type: 'Annot',
    Subtype: 'Link',
    Rect: [20, 90, 300, 130],
    Border: [0, 0, 0],
    A: { Type: 'Action', S: 'URI', URI: PDFString.of(`${url}pdf-link`) },
  });
  page.node.set(PDFName.of('Annots'), doc.context.obj([doc.context.register(link)]));
  const fileSpec = { Type: 'Filespec', FS: 'URL', F: PDFString.of(`${url}pdf-file`) };
  doc.catalog.set(
    PDFName.of('OpenAction'),
    doc.context.obj({ Type: 'Action', S: 'GoToR', F: fileSpec, D: [0, 'Fit'] }),
  );
  await writeFile(dest, await doc.save());
}
