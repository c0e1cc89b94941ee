// `npm start`: builds the bundles and starts the desktop app with Electron's binary. Where the
// binary was never downloaded (`npm ci` skips that download), says how to fetch it instead of
// the electron package's own advice to reinstall it.
// Usage: node scripts/start.mjs [arguments for the app...]
import { spawn } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildTargets } from './build.mjs';
import { electronBinary } from './electron-binary.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const binary = electronBinary();
if (binary === null) {
  process.stderr.write(
    "Electron's binary is not installed (npm ci does not download it).\n" +
      'Fetch it once with `node node_modules/electron/install.js` (it downloads from GitHub),\n' +
      'then run `npm start` again. Without it, `npm run -s serve` runs the same app in a browser.\n',
  );
  process.exit(1);
}
await buildTargets();
const app = spawn(binary, [root, ...process.argv.slice(2)], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => app.kill(signal));
app.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
