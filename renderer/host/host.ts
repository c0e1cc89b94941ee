/**
 * What the renderer needs from wherever it runs: the service client, and the ways files come in
 * and exports go out. Electron (preload API) and browser mode (WebSocket, uploads) differ here
 * and nowhere else.
 */
import type { ServiceClient } from '../../shared/contract';
import type { MenuCommand } from '../../electron/preload/desktop-api';

export interface RejectedInput {
  name: string;
  reason: string;
}

export interface IncomingFiles {
  /** Paths the service may read: granted by main, or written by the upload endpoint. */
  paths: string[];
  rejected: RejectedInput[];
}

export interface ExportTarget {
  dir: string;
  /** Browser mode: the files are fetched from the server; Electron: shown in the file manager. */
  kind: 'local-folder' | 'server-folder';
}

export interface DesktopHost {
  kind: 'electron' | 'browser';
  client: ServiceClient;
  /** Files from a drop or a file input; folders dropped in a browser are walked here. */
  addFiles(files: File[], entries?: FileSystemEntry[]): Promise<IncomingFiles>;
  /** Native dialogs exist only in Electron; browser mode uses a file input instead. */
  openFilesDialog?: () => Promise<IncomingFiles>;
  openFolderDialog?: () => Promise<IncomingFiles>;
  chooseExportTarget(): Promise<ExportTarget | null>;
  /** A link to download an exported file (browser mode), or null. */
  exportDownloadUrl(path: string): string | null;
  showFolder?: (dir: string) => void;
  onMenuCommand(listener: (command: MenuCommand) => void): () => void;
  onOpenPaths(listener: (paths: string[]) => void): () => void;
  /** Browser mode's socket going down and up again; Electron's IPC has no such state. */
  onConnection(listener: (state: 'open' | 'closed') => void): () => void;
}
