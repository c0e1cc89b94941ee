/**
 * The paths the user chose: files and folders dropped, picked or passed on the command line,
 * and folders picked for export. Only these may reach the service, whatever a compromised page
 * asks for. Paths are resolved through symlinks, so a link cannot lead outside a grant.
 */
import { realpathSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';

function canonical(path: string): string | null {
  if (!isAbsolute(path)) return null;
  try {
    return realpathSync.native(resolve(path));
  } catch {
    // A path that does not exist cannot be read; callers refuse it.
    return null;
  }
}

function isInside(child: string, parent: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

export class GrantedPaths {
  private readonly inputs = new Set<string>();
  private readonly exportDirs = new Set<string>();

  /** Grants files or folders for reading; returns the ones that exist. */
  grantInputs(paths: string[]): string[] {
    const granted: string[] = [];
    for (const path of paths) {
      const real = canonical(path);
      if (real === null) continue;
      this.inputs.add(real);
      granted.push(path);
    }
    return granted;
  }

  grantExportDir(dir: string): boolean {
    const real = canonical(dir);
    if (real === null) return false;
    this.exportDirs.add(real);
    return true;
  }

  /** A granted file, or a file or folder inside a granted folder. */
  mayRead(path: string): boolean {
    const real = canonical(path);
    if (real === null) return false;
    for (const granted of this.inputs) if (isInside(real, granted)) return true;
    return false;
  }

  /** Exactly a folder the user picked for export (not its parents, not elsewhere). */
  mayExportTo(dir: string): boolean {
    const real = canonical(dir);
    return real !== null && this.exportDirs.has(real);
  }
}
