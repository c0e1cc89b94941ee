// Finds the benchmark's documents: images with a `<name>.gt.txt` ground truth beside them.
import { existsSync, readdirSync } from 'node:fs';
import { basename, extname, join, relative, sep } from 'node:path';
import sharp from 'sharp';
import type { BenchFile } from './runner-protocol';

const IMAGE_EXTENSIONS = new Set([
  '.png',
  '.jpg',
  '.jpeg',
  '.tif',
  '.tiff',
  '.webp',
  '.bmp',
  '.gif',
]);

function findImages(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...findImages(path));
    else if (IMAGE_EXTENSIONS.has(extname(entry.name).toLowerCase())) found.push(path);
  }
  return found;
}

async function pageCountOf(imagePath: string): Promise<number> {
  try {
    const metadata = await sharp(imagePath).metadata();
    return metadata.pages ?? 1;
  } catch {
    // An unreadable file still counts as one page; the runners report why it failed.
    return 1;
  }
}

/**
 * Every image under `root` with ground truth, sorted by set then name. A set is the folder
 * holding the files, relative to `root` (files directly in `root` form a set named after it); `limitPerSet` keeps the first files of each set.
 */
export async function findBenchFiles(root: string, limitPerSet?: number): Promise<BenchFile[]> {
  const files: BenchFile[] = [];
  for (const imagePath of findImages(root)) {
    const name = imagePath.slice(0, -extname(imagePath).length);
    const groundTruthPath = `${name}.gt.txt`;
    if (!existsSync(groundTruthPath)) continue;

    const folder = relative(root, join(imagePath, '..'));
    files.push({
      set: folder === '' ? basename(root) : folder.split(sep).join('/'),
      name: name.slice(name.lastIndexOf(sep) + 1),
      imagePath,
      groundTruthPath,
      pageCount: await pageCountOf(imagePath),
    });
  }
  files.sort((a, b) => a.set.localeCompare(b.set) || a.name.localeCompare(b.name));

  if (limitPerSet === undefined) return files;
  const taken = new Map<string, number>();
  return files.filter((file) => {
    const count = taken.get(file.set) ?? 0;
    taken.set(file.set, count + 1);
    return count < limitPerSet;
  });
}
