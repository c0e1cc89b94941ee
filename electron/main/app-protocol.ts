/**
 * Serves the built renderer from `app://ocr-desk/` rather than file://, so that the page has a
 * real origin of its own, a strict Content-Security-Policy header, and no view of the disk.
 */
import { net, protocol } from 'electron';
import { readdirSync } from 'node:fs';
import { extname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { APP_SCHEME, CONTENT_SECURITY_POLICY } from './window-policy';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

/** Must run before the app is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: false } },
  ]);
}

export function serveRenderer(rendererDir: string): void {
  // Only files the build produced; a request names a file, never a path.
  const files = new Set(readdirSync(rendererDir));
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    const name = url.pathname === '/' ? 'index.html' : url.pathname.slice(1);
    if (url.host !== 'ocr-desk' || !files.has(name))
      return new Response('Not found', { status: 404 });
    const response = await net.fetch(pathToFileURL(join(rendererDir, name)).toString());
    const headers = new Headers(response.headers);
    // Module scripts load only with a JavaScript type, whatever the file fetch guessed.
    headers.set('content-type', MIME[extname(name)] ?? 'application/octet-stream');
    headers.set('content-security-policy', CONTENT_SECURITY_POLICY);
    headers.set('x-content-type-options', 'nosniff');
    return new Response(response.body, { status: response.status, headers });
  });
}
