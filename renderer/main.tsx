/** Renderer entry: picks the host (Electron preload API or browser mode) and mounts the app. */
import { createRoot } from 'react-dom/client';
import { App } from './views/app';
import { createBrowserHost } from './host/browser-host';
import { createElectronHost } from './host/electron-host';
import { initialise } from './store/actions';

const host = window.ocrDesk ? createElectronHost(window.ocrDesk) : createBrowserHost();
const root = createRoot(document.getElementById('root') as HTMLElement);
root.render(<App host={host} />);
void initialise(host).then(() => document.body.setAttribute('data-ready', 'true'));
