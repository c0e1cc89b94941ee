/** Native dialogs; whatever the user picks is granted, and nothing else is. */
import { dialog, type BrowserWindow } from 'electron';
import type { GrantedPaths } from '../service/server/granted-paths';

const DOCUMENT_FILTERS = [
  {
    name: 'Documents',
    extensions: ['png', 'jpg', 'jpeg', 'tif', 'tiff', 'webp', 'bmp', 'gif', 'pdf'],
  },
  { name: 'All files', extensions: ['*'] },
];

export async function pickInputs(
  window: BrowserWindow,
  grants: GrantedPaths,
  folders: boolean,
): Promise<string[]> {
  const result = await dialog.showOpenDialog(window, {
    title: folders ? 'Open a folder of documents' : 'Open documents',
    properties: folders ? ['openDirectory', 'multiSelections'] : ['openFile', 'multiSelections'],
    filters: folders ? undefined : DOCUMENT_FILTERS,
  });
  if (result.canceled) return [];
  return grants.grantInputs(result.filePaths);
}

export async function pickExportFolder(
  window: BrowserWindow,
  grants: GrantedPaths,
): Promise<string | null> {
  const result = await dialog.showOpenDialog(window, {
    title: 'Choose where to export',
    properties: ['openDirectory', 'createDirectory'],
  });
  const dir = result.filePaths[0];
  if (result.canceled || !dir || !grants.grantExportDir(dir)) return null;
  return dir;
}
