/**
 * The API the preload script puts on `window.ocrDesk`. Types only: the renderer imports them,
 * the preload implements them. No raw IPC crosses this line, only these calls.
 */
import type { Channel, RequestOf, ResponseOf, Result, ServiceEvent } from '../../shared/contract';

export type MenuCommand =
  | 'open-files'
  | 'open-folder'
  | 'export'
  | 'pause-queue'
  | 'resume-queue'
  | 'show-tasks'
  | 'show-pool'
  | 'show-settings'
  | 'focus-filter';

export interface DesktopApi {
  readonly platform: string;
  request<C extends Channel>(channel: C, payload: RequestOf<C>): Promise<Result<ResponseOf<C>>>;
  /** Service events and metrics, delivered over a MessagePort. */
  onServiceEvent(listener: (event: ServiceEvent) => void): () => void;
  /**
   * Files dropped on the window or picked in a file input: their paths are resolved in the
   * preload (the page never names a path) and granted by main for submission.
   */
  grantFiles(files: File[]): Promise<Result<{ paths: string[] }>>;
  /** Native dialogs; the chosen paths are granted by main. An empty list when cancelled. */
  openFilesDialog(): Promise<Result<{ paths: string[] }>>;
  openFolderDialog(): Promise<Result<{ paths: string[] }>>;
  /** The folder exports may be written to; null when cancelled. */
  chooseExportFolder(): Promise<Result<{ dir: string | null }>>;
  /** Opens a folder the user exported to in the system's file manager. */
  showFolder(dir: string): Promise<Result<null>>;
  onMenuCommand(listener: (command: MenuCommand) => void): () => void;
  /** Paths passed on the command line or by a second launch, already granted by main. */
  onOpenPaths(listener: (paths: string[]) => void): () => void;
}

/** The IPC channel names between preload and main (not visible to the page). */
export const IPC = {
  request: 'ocr-desk:request',
  grantFiles: 'ocr-desk:grant-files',
  openFilesDialog: 'ocr-desk:open-files-dialog',
  openFolderDialog: 'ocr-desk:open-folder-dialog',
  chooseExportFolder: 'ocr-desk:choose-export-folder',
  showFolder: 'ocr-desk:show-folder',
  menuCommand: 'ocr-desk:menu-command',
  openPaths: 'ocr-desk:open-paths',
  eventPort: 'ocr-desk:event-port',
  rendererReady: 'ocr-desk:renderer-ready',
} as const;
