/**
 * File names for exports of several documents into one folder, chosen so that no export
 * overwrites another export of the same batch or one of the documents being read.
 *
 * A document's name without its extension comes first (`scan.png` → `scan.txt`). Documents
 * whose stems clash in one folder (`r.jpg` and `r.png`) keep their extension (`r.jpg.txt`,
 * `r.png.txt`) when that tells them apart; a name still taken (two `scan.png` from different
 * folders) gets `-2`, `-3`… (`scan.txt`, `scan-2.txt`).
 * Names are compared without case, since the folder may be on a case-insensitive disk.
 * Every stem is one the export request accepts (shared/file-stems.ts): a source name holding
 * a backslash (legal on Linux and macOS) gets `_` for it, and a long name is shortened, the
 * `-2` that may follow included; the numbering keeps shortened names that clash apart.
 */
import { basename, extname, join, resolve } from 'node:path';
import { toFileStem } from '../../../shared/file-stems';

export interface NamedDocument {
  /** Whatever identifies the document to the caller (a task id, an input path). */
  key: string;
  sourcePath: string;
  /** The folder its exports are written to. */
  destinationDir: string;
  /** A name chosen by the caller, without extension; the source's stem when absent. */
  stem?: string;
}

/**
 * The stem (file name without the format's extension) for each document's exports, keyed by
 * `key`. `extensions` are those of every format written; `reserved` are paths no export may
 * take (the documents themselves, other files of the batch).
 */
export function assignExportStems(
  documents: readonly NamedDocument[],
  extensions: readonly string[],
  reserved: Iterable<string> = [],
): Map<string, string> {
  const taken = new Set<string>();
  for (const path of reserved) taken.add(pathKey(path));
  for (const document of documents) taken.add(pathKey(document.sourcePath));

  const wanted = documents.map((document) => document.stem ?? sourceStem(document.sourcePath));
  const names = documents.map((document) => toFileStem(basename(document.sourcePath)));
  const clashingStems = clashingIndexes(documents, wanted);
  const clashingNames = clashingIndexes(documents, names);

  const stems = new Map<string, string>();
  documents.forEach((document, index) => {
    const keepsExtension = clashingStems.has(index) && !clashingNames.has(index);
    const base = keepsExtension ? names[index] : wanted[index];
    let stem = base;
    for (let n = 2; extensions.some((ext) => isTaken(document, stem, ext)); n += 1) {
      stem = toFileStem(base, `-${n}`);
    }
    for (const ext of extensions) taken.add(pathKey(outputPath(document, stem, ext)));
    stems.set(document.key, stem);
  });
  return stems;

  function isTaken(document: NamedDocument, stem: string, ext: string): boolean {
    return taken.has(pathKey(outputPath(document, stem, ext)));
  }
}

/**
 * A source's name without its last extension, as a valid stem; a name that is only an
 * extension stays whole, and so does one whose stem would be `.` or `..` (`..png`).
 */
export function sourceStem(sourcePath: string): string {
  const name = basename(sourcePath);
  const stem = basename(name, extname(name));
  return toFileStem(stem === '' || stem === '.' || stem === '..' ? name : stem);
}

/** Indexes of documents whose wanted name, in their folder, is also wanted by another. */
function clashingIndexes(documents: readonly NamedDocument[], wanted: string[]): Set<number> {
  const byName = new Map<string, number[]>();
  documents.forEach((document, index) => {
    // Only derived stems give way; a stem the caller chose is kept and numbered if it must be.
    if (document.stem !== undefined) return;
    const name = pathKey(join(document.destinationDir, wanted[index]));
    byName.set(name, [...(byName.get(name) ?? []), index]);
  });
  return new Set([...byName.values()].filter((indexes) => indexes.length > 1).flat());
}

function outputPath(document: NamedDocument, stem: string, ext: string): string {
  return join(document.destinationDir, `${stem}.${ext}`);
}

/** A path as the names of one folder are compared: absolute, without regard to case. */
export function pathKey(path: string): string {
  return resolve(path).toLowerCase();
}
