/**
 * Where the service keeps its database, configuration and logs outside Electron: a flag, else
 * OCR_DESK_DATA_DIR, else the XDG data folder ($XDG_DATA_HOME/ocr-desk or
 * ~/.local/share/ocr-desk). Under Electron the main process passes its userData folder.
 */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export const DATA_DIR_ENV = 'OCR_DESK_DATA_DIR';

export function resolveDataDir(flag?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (flag) return resolve(flag);
  if (env[DATA_DIR_ENV]) return resolve(env[DATA_DIR_ENV] as string);
  const xdgData = env.XDG_DATA_HOME || join(homedir(), '.local', 'share');
  return join(xdgData, 'ocr-desk');
}

/** The socket (or Windows named pipe) a running service listens on for other clients. */
export function serviceSocketPath(dataDir: string): string {
  if (process.platform === 'win32') {
    return `\\\\.\\pipe\\ocr-desk-${Buffer.from(dataDir).toString('base64url').slice(0, 80)}`;
  }
  return join(dataDir, 'service.sock');
}

export function serviceLockPath(dataDir: string): string {
  return join(dataDir, 'service.lock');
}
