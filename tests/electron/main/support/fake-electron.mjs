// A stand-in for the `electron` module, for running main's bundle in plain Node where the
// Electron binary is absent. It records what main asks of Electron, and forks the service as
// a Node child process where Electron would start a utility process.
import { fork } from 'node:child_process';
import { EventEmitter } from 'node:events';

export const state = {
  userData: '',
  windows: [],
  handlers: new Map(),
  listeners: new Map(),
  schemes: [],
  protocolHandlers: new Map(),
  permissionRequestHandler: null,
  permissionCheckHandler: null,
  beforeRequest: null,
  menu: null,
  ports: [],
  services: [],
  errorBoxes: [],
};

class Emitter extends EventEmitter {}

export const app = Object.assign(new Emitter(), {
  isPackaged: false,
  requestSingleInstanceLock: () => true,
  whenReady: () => Promise.resolve(),
  getPath: (name) => {
    if (name !== 'userData') throw new Error(`unexpected getPath(${name})`);
    return state.userData;
  },
  getVersion: () => '0.0.0-test',
  quit: () => app.emit('before-quit'),
});

let nextContentsId = 1;

class WebContents extends Emitter {
  constructor() {
    super();
    this.id = nextContentsId++;
    this.mainFrame = { url: 'app://ocr-desk/index.html' };
    this.sent = [];
    this.posted = [];
    this.windowOpenHandler = null;
  }
  setWindowOpenHandler(handler) {
    this.windowOpenHandler = handler;
  }
  send(channel, ...args) {
    this.sent.push({ channel, args });
  }
  postMessage(channel, message, ports) {
    this.posted.push({ channel, message, ports });
  }
  reload() {}
}

export class BrowserWindow extends Emitter {
  constructor(options) {
    super();
    this.options = options;
    this.webContents = new WebContents();
    this.loadedUrl = null;
    state.windows.push(this);
  }
  loadURL(url) {
    this.loadedUrl = url;
    return Promise.resolve();
  }
  show() {}
  focus() {}
  restore() {}
  isMinimized() {
    return false;
  }
}

export const ipcMain = {
  handle: (channel, handler) => state.handlers.set(channel, handler),
  on: (channel, listener) => state.listeners.set(channel, listener),
};

export const Menu = {
  buildFromTemplate: (template) => ({ template }),
  setApplicationMenu: (menu) => (state.menu = menu),
};

class PortMain extends Emitter {
  constructor() {
    super();
    this.messages = [];
    this.closed = false;
  }
  postMessage(message) {
    this.messages.push(message);
  }
  close() {
    this.closed = true;
  }
  start() {}
}

export class MessageChannelMain {
  constructor() {
    this.port1 = new PortMain();
    this.port2 = new PortMain();
    state.ports.push(this.port1);
  }
}

export const protocol = {
  registerSchemesAsPrivileged: (schemes) => state.schemes.push(...schemes),
  handle: (scheme, handler) => state.protocolHandlers.set(scheme, handler),
};

export const net = { fetch: (url) => fetch(url) };

export const session = {
  defaultSession: {
    setPermissionRequestHandler: (handler) => (state.permissionRequestHandler = handler),
    setPermissionCheckHandler: (handler) => (state.permissionCheckHandler = handler),
    webRequest: { onBeforeRequest: (handler) => (state.beforeRequest = handler) },
  },
};

export const nativeTheme = { shouldUseDarkColors: false };
export const dialog = {
  showOpenDialog: async () => ({ canceled: true, filePaths: [] }),
  showErrorBox: (title, content) => state.errorBoxes.push({ title, content }),
};
export const shell = { openPath: async () => '' };

export const utilityProcess = {
  fork(entryPath, args, options) {
    const child = fork(entryPath, args, {
      env: options.env,
      execArgv: [],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    state.services.push(child);
    const wrapper = Object.assign(new Emitter(), {
      stdout: child.stdout,
      stderr: child.stderr,
      postMessage: (message) => child.send(message),
      kill: () => child.kill(),
    });
    child.on('message', (message) => wrapper.emit('message', message));
    child.on('exit', (code) => wrapper.emit('exit', code ?? -1));
    return wrapper;
  },
};

export default {
  app,
  BrowserWindow,
  ipcMain,
  Menu,
  MessageChannelMain,
  protocol,
  net,
  session,
  nativeTheme,
  dialog,
  shell,
  utilityProcess,
};
