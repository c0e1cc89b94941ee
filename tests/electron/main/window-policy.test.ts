// The window's policy: isolated, sandboxed, without Node; a CSP that allows no inline or remote
// code; nothing loads or navigates but our own page.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  CONTENT_SECURITY_POLICY,
  isOwnPage,
  isPermissionAllowed,
  mayLoad,
  SECURE_WEB_PREFERENCES,
} from '../../../electron/main/window-policy';

function directives(policy: string): Map<string, string> {
  return new Map(
    policy
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter((words) => words[0])
      .map(([name, ...values]) => [name, values.join(' ')]),
  );
}

describe('window policy', () => {
  it('gives the page no Node and no way out of its sandbox', () => {
    assert.equal(SECURE_WEB_PREFERENCES.contextIsolation, true);
    assert.equal(SECURE_WEB_PREFERENCES.sandbox, true);
    assert.equal(SECURE_WEB_PREFERENCES.nodeIntegration, false);
    assert.equal(SECURE_WEB_PREFERENCES.nodeIntegrationInWorker, false);
    assert.equal(SECURE_WEB_PREFERENCES.nodeIntegrationInSubFrames, false);
    assert.equal(SECURE_WEB_PREFERENCES.webSecurity, true);
    assert.equal(SECURE_WEB_PREFERENCES.webviewTag, false);
    assert.equal(SECURE_WEB_PREFERENCES.allowRunningInsecureContent, false);
  });

  it('allows no inline, eval or remote code, and no framing', () => {
    const csp = directives(CONTENT_SECURITY_POLICY);
    assert.equal(csp.get('default-src'), "'none'");
    assert.equal(csp.get('script-src'), "'self'");
    assert.equal(csp.get('frame-ancestors'), "'none'");
    assert.doesNotMatch(CONTENT_SECURITY_POLICY, /unsafe-inline|unsafe-eval|https?:|\*/);
  });

  it("matches the page's own meta policy, so a file:// load is no weaker", () => {
    const html = readFileSync(join(import.meta.dirname, '../../../renderer/index.html'), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1] ?? '';
    const fromMeta = directives(meta);
    for (const [name, value] of directives(CONTENT_SECURITY_POLICY)) {
      // frame-ancestors is ignored in a meta tag; the header carries it.
      if (name !== 'frame-ancestors') assert.equal(fromMeta.get(name), value, name);
    }
  });

  it('allows writing to the clipboard and no other permission', () => {
    assert.ok(isPermissionAllowed('clipboard-sanitized-write'));
    for (const permission of [
      'media',
      'geolocation',
      'notifications',
      'clipboard-read',
      'openExternal',
    ]) {
      assert.ok(!isPermissionAllowed(permission), permission);
    }
  });

  it('loads and navigates to our own page only', () => {
    assert.ok(isOwnPage('app://ocr-desk/index.html'));
    assert.ok(!isOwnPage('app://ocr-desk.evil/index.html'));
    assert.ok(!isOwnPage('https://example.com/'));
    assert.ok(!isOwnPage('file:///etc/passwd'));
    assert.ok(mayLoad('app://ocr-desk/app.js'));
    assert.ok(mayLoad('data:image/jpeg;base64,AAAA'));
    for (const url of [
      'https://cdn.example/x.js',
      'http://127.0.0.1:1/',
      'file:///etc/hosts',
      'ws://x/',
    ]) {
      assert.ok(!mayLoad(url), url);
    }
  });
});
