/**
 * Where every test finds the team's document corpus: `OCR_DESK_CORPUS` when set, else
 * `shared/corpus` beside the repository. A missing corpus stops the test file at once with how
 * to provide it, rather than as "file not found" on every document.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

const REPO_ROOT = resolve(import.meta.dirname, '..', '..');

export const CORPUS_DIR =
  process.env.OCR_DESK_CORPUS ?? resolve(REPO_ROOT, '..', 'shared', 'corpus');

if (!existsSync(CORPUS_DIR)) {
  throw new Error(
    `The test corpus is not at ${CORPUS_DIR}: clone OCR Desk beside the team's shared folder ` +
      '(so that ../shared/corpus exists), or set OCR_DESK_CORPUS to the corpus folder',
  );
}
