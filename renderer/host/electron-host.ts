/** Electron: the preload's `window.ocrDesk` API; main grants every path the user chose. */
import type { ServiceClient } from '../../shared/contract';
import type { DesktopApi } from '../../electron/preload/desktop-api';
import type { DesktopHost, IncomingFiles } from './host';

declare global {
  interface Window {
    ocrDesk?: DesktopApi;
  }
}

function incoming(result: Awaited<ReturnType<DesktopApi['grantFiles']>>): IncomingFiles {
  if (result.ok) return { paths: result.value.paths, rejected: [] };
  return { paths: [], rejected: [{ name: 'Selection', reason: result.error.message }] };
}

export function createElectronHost(api: DesktopApi): DesktopHost {
  const client: ServiceClient = {
    request: (channel, payload) => api.request(channel, payload),
    subscribe: (listener) => api.onServiceEvent(listener),
  };
  return {
    kind: 'electron',
    client,
    // Dropped folders stay folders: the service walks them.
    addFiles: async (files) => incoming(await api.grantFiles(files)),
    openFilesDialog: async () => incoming(await api.openFilesDialog()),
    openFolderDialog: async () => incoming(await api.openFolderDialog()),
    async chooseExportTarget() {
      const result = await api.chooseExportFolder();
      if (!result.ok || !result.value.dir) return null;
      return { dir: result.value.dir, kind: 'local-folder' };
    },
    exportDownloadUrl: () => null,
    showFolder: (dir) => void api.showFolder(dir),
    onMenuCommand: (listener) => api.onMenuCommand(listener),
    onOpenPaths: (listener) => api.onOpenPaths(listener),
    onConnection: () => () => undefined,
  };
}
