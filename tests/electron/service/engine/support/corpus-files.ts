/** Where the engine tests find the shared corpus, and its ground truth. */
import { readFileSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';

const REPO_ROOT = resolve(import.meta.dirname, '../../../../..');

/** The shared corpus beside the repository (OCR_DESK_CORPUS overrides it). */
export const CORPUS_DIR =
  process.env.OCR_DESK_CORPUS ?? resolve(REPO_ROOT, '..', 'shared', 'corpus');

export function corpusPath(relativePath: string): string {
  return join(CORPUS_DIR, relativePath);
}

/** The ground truth of a corpus image: the `.gt.txt` file beside it. */
export function groundTruthOf(imagePath: string): string {
  return readFileSync(imagePath.slice(0, -extname(imagePath).length) + '.gt.txt', 'utf8');
}
