/**
 * What the window may do, as data and pure checks, so that the policy is tested without
 * Electron: the web preferences, the Content-Security-Policy, and which URLs may load.
 */
export const APP_SCHEME = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://ocr-desk`;

export const SECURE_WEB_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  webviewTag: false,
  spellcheck: false,
  navigateOnDragDrop: false,
} as const;

export { CONTENT_SECURITY_POLICY } from '../../shared/content-security-policy';

/** Our own page; the window navigates nowhere else. */
export function isOwnPage(url: string): boolean {
  return url.startsWith(`${APP_ORIGIN}/`);
}

/** Nothing but our own files and inline data loads: there is no remote content. */
export function mayLoad(url: string): boolean {
  return isOwnPage(url) || url.startsWith('data:') || url.startsWith('devtools://');
}

/** Writing the recognised text to the clipboard ("Copy text"); every other permission is refused. */
export function isPermissionAllowed(permission: string): boolean {
  return permission === 'clipboard-sanitized-write';
}
