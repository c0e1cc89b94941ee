/**
 * A folder that refuses new files, as a data folder on a read-only or foreign-owned disk does:
 * for root (whom modes do not bind) the immutable attribute (chattr +i, EPERM), for another
 * user mode 0555 (EACCES). Null where neither works (a file system without attributes).
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

function refusesWrites(dir: string): boolean {
  const probe = join(dir, '.write-probe');
  try {
    writeFileSync(probe, '');
  } catch {
    return true;
  }
  rmSync(probe, { force: true });
  return false;
}

/** Makes `dir` unwritable; returns the undo, or null when this machine cannot. */
export function makeUnwritable(dir: string): (() => void) | null {
  const asRoot = process.getuid?.() === 0;
  const undo = asRoot
    ? () => execFileSync('chattr', ['-i', dir], { stdio: 'ignore' })
    : () => chmodSync(dir, 0o755);
  try {
    if (asRoot) execFileSync('chattr', ['+i', dir], { stdio: 'ignore' });
    else chmodSync(dir, 0o555);
  } catch {
    return null;
  }
  if (refusesWrites(dir)) return undo;
  undo();
  return null;
}
