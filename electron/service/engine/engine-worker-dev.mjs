// Starts the TypeScript engine worker from source (development and tests): registers tsx in
// this worker thread, then loads the worker. Bundled builds start engine-worker.js instead.
import { register } from 'tsx/esm/api';

register();
await import('./engine-worker.ts');
