/**
 * Export file names without their extension ("stems"): what the export request accepts, and
 * how any document's name is made into one. A stem names a file inside the destination folder,
 * so it may hold no folder separator of any system OCR Desk runs on, and it leaves room in the
 * file system's 255-byte name limit for a `-N` that makes it unique and the longest extension.
 */

/** The longest stem, in UTF-8 bytes (so also in characters). */
export const MAX_STEM_BYTES = 200;

/** Characters a stem may not hold: folder separators (either system's) and NUL. */
const NOT_IN_STEM = /[/\\\0]/g;
/** What stands in for each of them. */
const REPLACEMENT = '_';

const utf8 = new TextEncoder();

export function isFileStem(name: string): boolean {
  return (
    name.length > 0 &&
    utf8.encode(name).length <= MAX_STEM_BYTES &&
    !new RegExp(NOT_IN_STEM.source).test(name) &&
    name !== '.' &&
    name !== '..'
  );
}

/**
 * `name` made a valid stem: separators and NUL replaced, `.` and `..` (which name folders)
 * replaced, and a long name shortened, whole characters at a time, so that `suffix` (a `-2`
 * that tells it apart) still fits after it.
 */
export function toFileStem(name: string, suffix = ''): string {
  let stem = name.replace(NOT_IN_STEM, REPLACEMENT);
  if (stem === '' || stem === '.' || stem === '..')
    stem = REPLACEMENT.repeat(Math.max(1, stem.length));
  const budget = MAX_STEM_BYTES - utf8.encode(suffix).length;
  if (utf8.encode(stem).length > budget) {
    const kept: string[] = [];
    let bytes = 0;
    for (const character of stem) {
      bytes += utf8.encode(character).length;
      if (bytes > budget) break;
      kept.push(character);
    }
    stem = kept.join('');
  }
  return stem + suffix;
}
