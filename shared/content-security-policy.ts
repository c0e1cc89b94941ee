/**
 * The one Content-Security-Policy of OCR Desk's page, sent by Electron's app:// protocol and by
 * browser mode's server alike (and written in renderer/index.html's meta tag): our own scripts,
 * styles and API only; page images as data or blob URLs; no frames, forms, plugins or remote
 * content.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');
