/** Small corpus images that keep the service tests quick. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CORPUS_DIR } from '../../../support/corpus-dir';

const CORPUS = CORPUS_DIR;

export const SIMPLE_PNG = join(CORPUS, 'tesseractjs-clean/simple.png');
export const COSMIC_PNG = join(CORPUS, 'tesseractjs-clean/cosmic.png');
export const TESTOCR_PNG = join(CORPUS, 'tesseractjs-clean/testocr.png');
export const RECEIPT_JPG = join(CORPUS, 'sroie-receipts/sroie_000.jpg');
/** The largest dense book page: seconds of work, for tests that need a task to be busy. */
export const BOOK_TIFF = join(CORPUS, 'oldbooks-pages/b017.tiff');

export function tempDataDir(prefix = 'ocr-desk-service-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}
