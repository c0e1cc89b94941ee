// Electron main's bundle, run in Node with a stand-in `electron` module (the one fake: there is
// no Electron binary here) and the real service bundle in a child process: the window's
// settings, the permission and request policy, IPC routing with its sender check and granted
// paths, events over the port, a second launch's files, and the log file.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { register } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { IPC } from '../../../electron/preload/desktop-api';
import { CORPUS_DIR } from '../../support/corpus-dir';

const root = join(import.meta.dirname, '..', '..', '..');
const image = join(CORPUS_DIR, 'tesseractjs-clean', 'simple.png');

type Handler = (
  event: unknown,
  payload?: unknown,
) => Promise<{ ok: boolean; error?: { code: string } }>;
interface FakeWindow {
  options: { webPreferences: Record<string, unknown> };
  loadedUrl: string;
  webContents: {
    id: number;
    mainFrame: object;
    sent: { channel: string; args: unknown[] }[];
    posted: { channel: string; ports: { messages: unknown[] }[] }[];
    windowOpenHandler: (details: { url: string }) => { action: string };
    emit(event: string, ...args: unknown[]): boolean;
  };
}
interface FakeState {
  userData: string;
  windows: FakeWindow[];
  handlers: Map<string, Handler>;
  listeners: Map<string, (event: unknown) => void>;
  permissionRequestHandler: (
    contents: unknown,
    permission: string,
    callback: (ok: boolean) => void,
  ) => void;
  beforeRequest: (
    details: { url: string },
    callback: (result: { cancel: boolean }) => void,
  ) => void;
  ports: { messages: { kind: string }[] }[];
}

async function until<T>(probe: () => T | undefined, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('Electron main (bundle, with a stand-in electron module)', { timeout: 120_000 }, () => {
  let state: FakeState;
  let fake: { app: { emit(event: string, ...args: unknown[]): boolean } };
  let window: FakeWindow;
  const userData = mkdtempSync(join(tmpdir(), 'ocr-desk-main-'));

  const sender = (overrides: { id?: number; url?: string; subframe?: boolean } = {}) => {
    const contents = window.webContents;
    const frame = overrides.subframe
      ? { url: overrides.url ?? 'app://ocr-desk/index.html' }
      : contents.mainFrame;
    if (!overrides.subframe)
      Object.assign(contents.mainFrame, { url: overrides.url ?? 'app://ocr-desk/index.html' });
    return {
      sender: { id: overrides.id ?? contents.id, mainFrame: contents.mainFrame },
      senderFrame: frame,
    };
  };
  const invoke = (channel: string, payload: unknown, from = sender()) =>
    state.handlers.get(channel)!(from, payload);

  before(async () => {
    const { buildTargets } = (await import(join(root, 'scripts', 'build.mjs'))) as {
      buildTargets: (names: string[]) => Promise<void>;
    };
    await buildTargets(['main', 'preload', 'service', 'renderer']);
    register(pathToFileURL(join(import.meta.dirname, 'support', 'electron-alias-hook.mjs')));
    fake = await import(
      pathToFileURL(join(import.meta.dirname, 'support', 'fake-electron.mjs')).href
    );
    state = (fake as unknown as { state: FakeState }).state;
    state.userData = userData;
    await import(pathToFileURL(join(root, 'dist', 'electron', 'main', 'index.js')).href);
    window = await until(() => state.windows[0], 'the window');
    await until(() => state.handlers.get(IPC.request), 'the IPC handlers');
  });

  after(() => {
    fake?.app.emit('before-quit');
    rmSync(userData, { recursive: true, force: true });
  });

  it('opens one locked-down window on its own scheme', () => {
    const prefs = window.options.webPreferences;
    assert.equal(prefs.contextIsolation, true);
    assert.equal(prefs.sandbox, true);
    assert.equal(prefs.nodeIntegration, false);
    assert.match(String(prefs.preload), /dist\/electron\/preload\/index\.cjs$/);
    assert.equal(window.loadedUrl, 'app://ocr-desk/index.html');
    assert.deepEqual(window.webContents.windowOpenHandler({ url: 'https://example.com/' }), {
      action: 'deny',
    });
  });

  it('denies permissions, remote requests and navigation away', async () => {
    const granted = await new Promise((resolve) =>
      state.permissionRequestHandler(null, 'media', resolve),
    );
    assert.equal(granted, false);
    const cancelled = (url: string) =>
      new Promise((resolve) => state.beforeRequest({ url }, (r) => resolve(r.cancel)));
    assert.equal(await cancelled('https://example.com/tracker.js'), true);
    assert.equal(await cancelled('app://ocr-desk/app.js'), false);
    let prevented = false;
    window.webContents.emit(
      'will-navigate',
      { preventDefault: () => (prevented = true) },
      'https://example.com/',
    );
    assert.equal(prevented, true);
  });

  it('routes requests from our window to the service, and refuses other senders', async () => {
    const metrics = await invoke(IPC.request, { channel: 'getMetrics', payload: {} });
    assert.ok(metrics.ok, JSON.stringify(metrics));
    const foreign = await invoke(
      IPC.request,
      { channel: 'getMetrics', payload: {} },
      sender({ id: 999 }),
    );
    assert.equal(foreign.error?.code, 'forbidden');
    const subframe = await invoke(
      IPC.request,
      { channel: 'getMetrics', payload: {} },
      sender({ subframe: true }),
    );
    assert.equal(subframe.error?.code, 'forbidden');
    const elsewhere = await invoke(
      IPC.grantFiles,
      [image],
      sender({ url: 'https://example.com/' }),
    );
    assert.equal(elsewhere.error?.code, 'forbidden');
    const malformed = await invoke(IPC.request, { channel: 'submit', payload: { paths: 7 } });
    assert.equal(malformed.error?.code, 'invalid_request');
  });

  it('submits a file only once the user chose it, and reads it', async () => {
    const before = await invoke(IPC.request, { channel: 'submit', payload: { paths: [image] } });
    assert.equal(before.error?.code, 'forbidden');
    const granted = (await invoke(IPC.grantFiles, [image, '/no/such/file.png'])) as unknown as {
      ok: boolean;
      value: { paths: string[] };
    };
    assert.deepEqual(granted.value.paths, [image]);
    const submitted = await invoke(IPC.request, { channel: 'submit', payload: { paths: [image] } });
    assert.ok(submitted.ok, JSON.stringify(submitted));
  });

  it('streams service events over a port given to the page on each load', async () => {
    window.webContents.emit('did-finish-load');
    const posted = window.webContents.posted.find((p) => p.channel === IPC.eventPort);
    assert.ok(posted && posted.ports.length === 1);
    const port = state.ports[state.ports.length - 1];
    await until(
      () => port.messages.some((m) => m.kind === 'metrics'),
      'a metrics event on the port',
    );
  });

  it("adds a second launch's files once the page is ready", async () => {
    state.listeners.get(IPC.rendererReady)!({ sender: { id: window.webContents.id } });
    fake.app.emit('second-instance', {}, ['electron', '.', image, '--flag'], root);
    const sent = window.webContents.sent.find((s) => s.channel === IPC.openPaths);
    assert.deepEqual(sent?.args, [[image]]);
  });

  it('writes its log under the user-data folder', () => {
    const logFile = join(userData, 'logs', 'main.log');
    assert.ok(existsSync(logFile));
    assert.match(readFileSync(logFile, 'utf8'), /"message":"started"/);
  });
});
