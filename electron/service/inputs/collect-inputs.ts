/**
 * Expands what the user gave (files and folders) into the files to read. A file given by name
 * is always taken (it fails later with a reason if it is not a document); in a folder, files
 * that are not documents, judged by their content, are skipped, and a file that cannot be read
 * is taken so that it fails with its reason. A folder that cannot be listed is reported and
 * the rest is still collected. Links to files are followed; links to folders are not (they
 * could loop), and are listed as skipped.
 */
import { readdir, stat } from 'node:fs/promises';
import { Stats, type Dirent } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { SkippedInput, SubmitRejection } from '../../../shared/contract';
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
  /** Folders that could not be listed, with why. */
  unreadableFolders: SubmitRejection[];
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
  const collected: Collected = { files: [], skipped: [], missing: [], unreadableFolders: [] };
  const seen = new Set<string>();
  const taken = new Set<string>();
  const excluded = await folderIdentities(options.excludeDirs ?? []);
  const take = (file: CollectedFile) => {
    if (options.distinct && seen.has(file.path)) return;
    seen.add(file.path);
    taken.add(file.path);
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
    for (const file of await walk(path, excluded, collected)) {
      if (options.distinct && seen.has(file)) continue;
      // A file that cannot even be read for its first bytes is taken, to fail with the reason.
      const format = await sniffFormat(file).catch(() => 'unreadable' as const);
      if (format === null) {
        seen.add(file);
        collected.skipped.push({ path: file, reason: 'not an image or PDF document' });
      } else {
        take({ path: file, relativePath: relative(path, file), input });
      }
    }
  }
  // A file given by name and also met in a folder given is read, not also listed as skipped.
  if (options.distinct) collected.skipped = collected.skipped.filter((s) => !taken.has(s.path));
  return collected;
}

/**
 * Every file under `dir`, in a stable (sorted) order. Hidden entries and `excluded` folders are
 * left out; what is neither a file nor a folder, and folders that cannot be listed, are noted
 * in `collected`.
 */
async function walk(dir: string, excluded: Set<string>, collected: Collected): Promise<string[]> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    collected.unreadableFolders.push({ path: dir, error: folderError(dir, error) });
    return [];
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const files: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      const stats = await stat(path).catch(() => null);
      if (!stats || !excluded.has(identity(stats))) {
        files.push(...(await walk(path, excluded, collected)));
      }
    } else if (entry.isFile()) {
      files.push(path);
    } else if (entry.isSymbolicLink()) {
      const target = await stat(path).catch((error: NodeJS.ErrnoException) => error);
      if (target instanceof Stats && target.isFile()) files.push(path);
      else skip(path, linkReason(target));
    } else {
      skip(path, 'not a regular file');
    }
  }
  return files;

  function skip(path: string, reason: string) {
    collected.skipped.push({ path, reason });
  }
}

/** Why a link found in a folder is not read: what it leads to, or why it leads nowhere. */
function linkReason(target: Stats | NodeJS.ErrnoException): string {
  if (!(target instanceof Stats)) {
    return target.code === 'ELOOP' ? 'a link that loops' : 'a broken link';
  }
  if (target.isDirectory()) return 'a link to a folder (links to folders are not followed)';
  return 'a link to a device or other special file';
}

function folderError(dir: string, error: unknown): SubmitRejection['error'] {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') {
    return { code: 'file_not_found', message: `Permission denied listing the folder ${dir}` };
  }
  const reason = error instanceof Error ? error.message : String(error);
  return { code: 'invalid_input', message: `Cannot list the folder ${dir} (${reason})` };
}

/** Folders by device and inode, so that a folder reached through a link is still known. */
async function folderIdentities(dirs: string[]): Promise<Set<string>> {
  const identities = new Set<string>();
  for (const dir of dirs) {
    const stats = await stat(dir).catch(() => null);
    if (stats?.isDirectory()) identities.add(identity(stats));
  }
  return identities;
}

function identity(stats: Stats): string {
  return `${stats.dev}:${stats.ino}`;
}
