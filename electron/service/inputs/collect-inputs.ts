/**
 * Expands what the user gave (files and folders) into the files to read. A file given by name
 * is always taken (it fails later with a reason if it is not a document); in a folder, files
 * that are not documents, judged by their content, are skipped.
 */
import { readdir, stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import type { SkippedInput } from '../../../shared/contract';
import { sniffFormat } from '../engine/decode';

export interface CollectedFile {
  path: string;
  /** Path relative to the folder it was found in, or the bare file name when given directly. */
  relativePath: string;
  /** The argument it came from. */
  input: string;
}

export interface Collected {
  files: CollectedFile[];
  skipped: SkippedInput[];
  missing: string[];
}

export interface CollectOptions {
  /** Folders not to search: the output folder, so that a run does not read its own exports. */
  excludeDirs?: string[];
  /** Take a file reached twice (given twice, or also inside a folder given) once. */
  distinct?: boolean;
}

export async function collectInputs(
  inputs: string[],
  options: CollectOptions = {},
): Promise<Collected> {
  const collected: Collected = { files: [], skipped: [], missing: [] };
  const seen = new Set<string>();
  const excluded = new Set((options.excludeDirs ?? []).map((dir) => resolve(dir)));
  const take = (file: CollectedFile) => {
    if (options.distinct && seen.has(file.path)) return;
    seen.add(file.path);
    collected.files.push(file);
  };

  for (const input of inputs) {
    const path = resolve(input);
    const stats = await stat(path).catch(() => null);
    if (!stats) {
      collected.missing.push(path);
      continue;
    }
    if (!stats.isDirectory()) {
      take({ path, relativePath: relative(resolve(path, '..'), path), input });
      continue;
    }
    for (const file of await walk(path, excluded)) {
      if (options.distinct && seen.has(file)) continue;
      if ((await sniffFormat(file).catch(() => null)) === null) {
        seen.add(file);
        collected.skipped.push({ path: file, reason: 'not an image or PDF document' });
      } else {
        take({ path: file, relativePath: relative(path, file), input });
      }
    }
  }
  return collected;
}

/** Every file under `dir`, in a stable (sorted) order; hidden entries and `excluded` folders are left out. */
async function walk(dir: string, excluded: Set<string>): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const files: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory() && !excluded.has(path)) files.push(...(await walk(path, excluded)));
    else if (entry.isFile()) files.push(path);
  }
  return files;
}
