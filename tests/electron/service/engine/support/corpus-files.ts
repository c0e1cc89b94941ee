/** Where the engine tests find the shared corpus, and its ground truth. */
import { readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { CORPUS_DIR } from '../../../../support/corpus-dir';

export { CORPUS_DIR };

export function corpusPath(relativePath: string): string {
  return join(CORPUS_DIR, relativePath);
}

/** The ground truth of a corpus image: the `.gt.txt` file beside it. */
export function groundTruthOf(imagePath: string): string {
  return readFileSync(imagePath.slice(0, -extname(imagePath).length) + '.gt.txt', 'utf8');
}
