/**
 * The one window, with the least power a page can have: isolated, sandboxed, no Node, no
 * navigation away, no new windows, no permissions, no remote content.
 */
import { BrowserWindow, nativeTheme, session, shell } from 'electron';
import {
  APP_ORIGIN,
  isOwnPage,
  isPermissionAllowed,
  mayLoad,
  SECURE_WEB_PREFERENCES,
} from './window-policy';
import type { Logger } from '../service/logger';

export function lockDownSession(log: Logger): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_contents, permission, callback) => {
    const allowed = isPermissionAllowed(permission);
    if (!allowed) log.warn('permission request denied', { permission });
    callback(allowed);
  });
  ses.setPermissionCheckHandler((_contents, permission) => isPermissionAllowed(permission));
  // Nothing but our own scheme and inline data may load; there is no remote content.
  ses.webRequest.onBeforeRequest((details, callback) => {
    const allowed = mayLoad(details.url);
    if (!allowed) log.warn('request blocked', { url: details.url.slice(0, 200) });
    callback({ cancel: !allowed });
  });
}

export function createMainWindow(preloadPath: string, log: Logger): BrowserWindow {
  const window = new BrowserWindow({
    width: 1360,
    height: 860,
    minWidth: 900,
    minHeight: 560,
    show: false,
    title: 'OCR Desk',
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#16191f' : '#f5f6f8',
    webPreferences: {
      preload: preloadPath,
      ...SECURE_WEB_PREFERENCES,
    },
  });

  const contents = window.webContents;
  contents.on('will-navigate', (event, url) => {
    if (isOwnPage(url)) return;
    event.preventDefault();
    log.warn('navigation blocked', { url: url.slice(0, 200) });
  });
  contents.on('will-redirect', (event, url) => {
    event.preventDefault();
    log.warn('redirect blocked', { url: url.slice(0, 200) });
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    log.warn('new window blocked', { url: url.slice(0, 200) });
    return { action: 'deny' };
  });
  contents.on('render-process-gone', (_event, details) => {
    log.error('renderer gone; reloading', { reason: details.reason });
    if (details.reason !== 'clean-exit') contents.reload();
  });

  window.once('ready-to-show', () => window.show());
  void window.loadURL(`${APP_ORIGIN}/index.html`);
  return window;
}

/** Opens a folder in the system's file manager; only folders the user chose are passed here. */
export function showFolderInShell(dir: string): Promise<string> {
  return shell.openPath(dir);
}
