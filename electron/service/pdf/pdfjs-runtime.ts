/**
 * Loads pdf.js (the legacy build, which runs in Node) once per process, with its parser in
 * this thread and the font and CMap data it needs to draw text whose font is not embedded.
 */
import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');

let loading: Promise<PdfJs> | undefined;

export function loadPdfJs(): Promise<PdfJs> {
  loading ??= (async () => {
    // Handing pdf.js its parser up front spares it a dynamic import of a path relative to its
    // own file, which a bundler would not see.
    const worker = await import('pdfjs-dist/legacy/build/pdf.worker.mjs');
    (globalThis as { pdfjsWorker?: unknown }).pdfjsWorker = worker;
    return import('pdfjs-dist/legacy/build/pdf.mjs');
  })();
  return loading;
}

/** Folders, with a trailing separator as pdf.js expects, of the data files pdfjs-dist ships. */
export function pdfJsDataFolders(): { standardFontDataUrl: string; cMapUrl: string } {
  const require = createRequire(import.meta.url);
  const root = dirname(require.resolve('pdfjs-dist/package.json'));
  return {
    standardFontDataUrl: join(root, 'standard_fonts') + sep,
    cMapUrl: join(root, 'cmaps') + sep,
  };
}
