/** Documents named on the command line, by the first launch or by a second one. */
import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';

/**
 * The arguments that are paths to existing files or folders. `skip` is how many leading
 * arguments belong to the executable (1 when packaged, 2 when run as `electron .`).
 */
export function documentPathsFromArgv(argv: string[], cwd: string, skip: number): string[] {
  return argv
    .slice(skip)
    .filter((arg) => !arg.startsWith('-'))
    .map((arg) => (isAbsolute(arg) ? arg : resolve(cwd, arg)))
    .filter((path) => existsSync(path));
}
