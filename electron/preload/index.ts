/**
 * The preload: the typed `window.ocrDesk` API and nothing else. The page gets functions, never
 * ipcRenderer, and names no path: file paths are resolved here from File objects it holds.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import type { ServiceEvent } from '../../shared/contract';
import { IPC, type DesktopApi, type MenuCommand } from './desktop-api';

const eventListeners = new Set<(event: ServiceEvent) => void>();

ipcRenderer.on(IPC.eventPort, (event) => {
  const [port] = event.ports;
  if (!port) return;
  port.onmessage = (message: MessageEvent) => {
    for (const listener of eventListeners) listener(message.data as ServiceEvent);
  };
  port.start();
});

function listen<T>(channel: string, listener: (value: T) => void): () => void {
  const wrapped = (_event: unknown, value: T) => listener(value);
  ipcRenderer.on(channel, wrapped);
  return () => ipcRenderer.removeListener(channel, wrapped);
}

const api: DesktopApi = {
  platform: process.platform,
  request: (channel, payload) => ipcRenderer.invoke(IPC.request, { channel, payload }),
  onServiceEvent(listener) {
    eventListeners.add(listener);
    return () => eventListeners.delete(listener);
  },
  grantFiles(files) {
    // A File the page made up has no path, and anything else is refused by getPathForFile;
    // only dropped or picked files yield one.
    const paths = Array.from(files, (file) => {
      try {
        return webUtils.getPathForFile(file);
      } catch {
        return '';
      }
    }).filter(Boolean);
    return ipcRenderer.invoke(IPC.grantFiles, paths);
  },
  openFilesDialog: () => ipcRenderer.invoke(IPC.openFilesDialog),
  openFolderDialog: () => ipcRenderer.invoke(IPC.openFolderDialog),
  chooseExportFolder: () => ipcRenderer.invoke(IPC.chooseExportFolder),
  showFolder: (dir) => ipcRenderer.invoke(IPC.showFolder, dir),
  onMenuCommand: (listener) => listen<MenuCommand>(IPC.menuCommand, listener),
  onOpenPaths(listener) {
    const stop = listen<string[]>(IPC.openPaths, listener);
    ipcRenderer.send(IPC.rendererReady);
    return stop;
  },
};

contextBridge.exposeInMainWorld('ocrDesk', api);
