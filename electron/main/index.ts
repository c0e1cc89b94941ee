/**
 * Electron main: one window, the service in a utility process, and the checked routes between
 * them. Everything the page may do goes through the IPC handlers below, each sender-checked.
 */
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  MessageChannelMain,
  type IpcMainInvokeEvent,
  type MessagePortMain,
  utilityProcess,
} from 'electron';
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Result } from '../../shared/contract';
import { withEngineAllocator } from '../service/allocator-env';
import { createLogger } from '../service/logger';
import { GrantedPaths } from '../service/server/granted-paths';
import { IPC } from '../preload/desktop-api';
import { registerAppScheme, serveRenderer } from './app-protocol';
import { APP_ORIGIN } from './window-policy';
import { buildAppMenu } from './app-menu';
import { documentPathsFromArgv } from './command-line';
import { pickExportFolder, pickInputs } from './file-dialogs';
import { IpcRouter, isTrustedSender, type SenderInfo } from './ipc-router';
import { createMainWindow, lockDownSession, showFolderInShell } from './main-window';
import { ServiceHost } from './service-host';

// dist/electron/main/index.js → the app root holds dist/.
const appRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const argvSkip = app.isPackaged ? 1 : 2;

registerAppScheme();

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  void main();
}

async function main(): Promise<void> {
  await app.whenReady();
  const logDir = join(app.getPath('userData'), 'logs');
  mkdirSync(logDir, { recursive: true });
  const log = createLogger({ component: 'main', filePath: join(logDir, 'main.log') });
  const grants = new GrantedPaths();
  let window: BrowserWindow | null = null;
  let eventPort: MessagePortMain | null = null;
  let rendererReady = false;
  const pendingPaths: string[] = [];

  const service = new ServiceHost({
    entryPath: join(appRoot, 'dist/electron/service/main.js'),
    args: ['--data-dir', app.getPath('userData')],
    dataDir: app.getPath('userData'),
    env: {
      OCR_DESK_DATA_DIR: app.getPath('userData'),
      // Packaged: the models ship as resources outside the archive.
      ...(app.isPackaged ? { OCR_DESK_MODELS_DIR: join(process.resourcesPath, 'models') } : {}),
    },
    log: log.child('service-host'),
    fork: (entryPath, args, env) => {
      const child = utilityProcess.fork(entryPath, args, {
        serviceName: 'OCR Desk service',
        env: withEngineAllocator({ ...process.env, ...env }),
        stdio: 'pipe',
      });
      const serviceLog = log.child('service-output');
      child.stdout?.on('data', (chunk: Buffer) => serviceLog.info(chunk.toString().trimEnd()));
      child.stderr?.on('data', (chunk: Buffer) => serviceLog.info(chunk.toString().trimEnd()));
      return child;
    },
    // The window stays: each request it makes is answered with the same reason.
    onStartFailure: (failure) => dialog.showErrorBox('OCR Desk cannot start', failure.message),
  });
  service.start();
  service.subscribe((event) => eventPort?.postMessage(event));

  const trusted = () =>
    window ? { webContentsId: window.webContents.id, origin: APP_ORIGIN } : null;
  const router = new IpcRouter(service, grants, trusted, log.child('ipc'));
  const senderOf = (event: IpcMainInvokeEvent): SenderInfo => ({
    webContentsId: event.sender.id,
    isMainFrame: event.senderFrame !== null && event.senderFrame === event.sender.mainFrame,
    url: event.senderFrame?.url ?? '',
  });
  const forbidden: Result<never> = {
    ok: false,
    error: { code: 'forbidden', message: 'Not from the OCR Desk window.' },
  };

  /** Registers a handler that answers only our window's main frame. */
  const handle = (channel: string, body: (payload: unknown) => Promise<Result<unknown>>) =>
    ipcMain.handle(channel, async (event, payload: unknown) => {
      if (!isTrustedSender(senderOf(event), trusted())) {
        log.warn('foreign sender refused', { channel });
        return forbidden;
      }
      try {
        return await body(payload);
      } catch (error) {
        return { ok: false, error: { code: 'internal', message: String(error) } };
      }
    });

  ipcMain.handle(IPC.request, (event, message: unknown) => router.handle(senderOf(event), message));
  handle(IPC.grantFiles, async (payload) => {
    const paths = Array.isArray(payload)
      ? payload.filter((p): p is string => typeof p === 'string' && p !== '')
      : [];
    return { ok: true, value: { paths: grants.grantInputs(paths) } };
  });
  handle(IPC.openFilesDialog, async () => ({
    ok: true,
    value: { paths: window ? await pickInputs(window, grants, false) : [] },
  }));
  handle(IPC.openFolderDialog, async () => ({
    ok: true,
    value: { paths: window ? await pickInputs(window, grants, true) : [] },
  }));
  handle(IPC.chooseExportFolder, async () => ({
    ok: true,
    value: { dir: window ? await pickExportFolder(window, grants) : null },
  }));
  handle(IPC.showFolder, async (dir) => {
    if (typeof dir !== 'string' || !grants.mayExportTo(dir)) return forbidden;
    await showFolderInShell(dir);
    return { ok: true, value: null };
  });
  ipcMain.on(IPC.rendererReady, (event) => {
    if (!window || event.sender.id !== window.webContents.id) return;
    rendererReady = true;
    if (pendingPaths.length > 0) window.webContents.send(IPC.openPaths, pendingPaths.splice(0));
  });

  const openPaths = (paths: string[]) => {
    const granted = grants.grantInputs(paths);
    if (granted.length === 0) return;
    if (window && rendererReady) window.webContents.send(IPC.openPaths, granted);
    else pendingPaths.push(...granted);
  };

  app.on('second-instance', (_event, argv, cwd) => {
    openPaths(documentPathsFromArgv(argv, cwd, argvSkip));
    if (window?.isMinimized()) window.restore();
    window?.focus();
  });
  app.on('window-all-closed', () => app.quit());
  app.on('before-quit', () => service.stop());

  lockDownSession(log.child('session'));
  serveRenderer(join(appRoot, 'dist/renderer'));
  Menu.setApplicationMenu(buildAppMenu(() => window));
  window = createMainWindow(join(appRoot, 'dist/electron/preload/index.cjs'), log.child('window'));
  window.on('closed', () => (window = null));

  // A fresh port for each page load carries events and metrics to the renderer.
  window.webContents.on('did-finish-load', () => {
    eventPort?.close();
    rendererReady = false;
    const { port1, port2 } = new MessageChannelMain();
    eventPort = port1;
    window?.webContents.postMessage(IPC.eventPort, null, [port2]);
  });
  openPaths(documentPathsFromArgv(process.argv, process.cwd(), argvSkip));
  log.info('started', { version: app.getVersion(), userData: app.getPath('userData') });
}
