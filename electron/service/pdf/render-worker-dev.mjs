// Starts the TypeScript PDF render worker from source (development and tests): registers tsx
// in this worker thread, then loads the worker. Bundled builds start pdf-render-worker.js.
import { register } from 'tsx/esm/api';

register();
await import('./render-worker.ts');
