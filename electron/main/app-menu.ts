/** The application menu: the usual roles and shortcuts, and commands sent to the window. */
import { Menu, type BrowserWindow, type MenuItemConstructorOptions } from 'electron';
import { IPC, type MenuCommand } from '../preload/desktop-api';

export function buildAppMenu(getWindow: () => BrowserWindow | null): Menu {
  const send = (command: MenuCommand) => () =>
    getWindow()?.webContents.send(IPC.menuCommand, command);
  const isMac = process.platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: '&File',
      submenu: [
        { label: 'Open Files…', accelerator: 'CmdOrCtrl+O', click: send('open-files') },
        { label: 'Open Folder…', accelerator: 'CmdOrCtrl+Shift+O', click: send('open-folder') },
        { type: 'separator' },
        { label: 'Export…', accelerator: 'CmdOrCtrl+E', click: send('export') },
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: '&Queue',
      submenu: [
        { label: 'Pause Queue', accelerator: 'CmdOrCtrl+Shift+P', click: send('pause-queue') },
        { label: 'Resume Queue', accelerator: 'CmdOrCtrl+Shift+R', click: send('resume-queue') },
        { type: 'separator' },
        { label: 'Find Task', accelerator: 'CmdOrCtrl+F', click: send('focus-filter') },
      ],
    },
    {
      label: '&View',
      submenu: [
        { label: 'Tasks', accelerator: 'CmdOrCtrl+1', click: send('show-tasks') },
        { label: 'Devices and Pool', accelerator: 'CmdOrCtrl+2', click: send('show-pool') },
        { label: 'Settings', accelerator: 'CmdOrCtrl+3', click: send('show-settings') },
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
        { role: 'toggleDevTools' },
      ],
    },
    { role: 'windowMenu' },
  ];
  return Menu.buildFromTemplate(template);
}
