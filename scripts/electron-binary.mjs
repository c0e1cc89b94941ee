// Where Electron's binary is, for `npm start` and the Electron end-to-end test.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

/** The Electron binary's path, or null when the package's download never happened. */
export function electronBinary() {
  try {
    const path = createRequire(import.meta.url)('electron');
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}
