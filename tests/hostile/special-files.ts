/**
 * Files the operating system makes strange: an unreadable file, a named pipe. The tests run as
 * root in CI, where chmod 000 does not stop a read; there the unreadable case is a named pipe
 * with no writer (opening it for reading would block forever), which only a check of the file
 * type before opening avoids.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Expectation } from './generate-inputs';

export function makeFifo(path: string): void {
  execFileSync('mkfifo', [path]);
}

/** Whether chmod 000 really stops this process from reading a file. */
export function permissionsBindUs(dir: string, sample: string): boolean {
  const probe = join(dir, 'permission-probe');
  copyFileSync(sample, probe);
  chmodSync(probe, 0o000);
  try {
    readFileSync(probe);
    return false;
  } catch {
    return true;
  } finally {
    chmodSync(probe, 0o644);
  }
}

/**
 * A file this process cannot read, with what the service must answer: chmod 000 when that
 * binds us, otherwise (as root) a named pipe nobody writes to.
 */
export function unreadableFile(dir: string, sample: string): [string, Expectation] {
  if (permissionsBindUs(dir, sample)) {
    const path = join(dir, 'no-permission.png');
    copyFileSync(sample, path);
    chmodSync(path, 0o000);
    return [path, { status: 'failed', code: 'file_not_found', message: /permission/i }];
  }
  const path = join(dir, 'unreadable-pipe.png');
  makeFifo(path);
  return [path, { status: 'failed', code: 'invalid_input' }];
}
