// Bundles the app with esbuild into dist/: the renderer (browser), Electron main and preload,
// and the service entry (plain Node).
// Usage: node scripts/build.mjs [--dev] [renderer|main|preload|service]...
// The renderer is a production build (React's checks off, minified) unless --dev is given.
// Progress goes to stderr so that `npm run serve` keeps stdout's first line for its URL.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
let production = true;

// ESM output that still needs `require` for the CommonJS packages it imports at run time.
const requireBanner =
  "import { createRequire as __createRequire } from 'node:module';" +
  'const require = __createRequire(import.meta.url);';

/** Main and the service: ES modules for Node, their packages left in node_modules. */
const nodeModuleBundle = {
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  banner: { js: requireBanner },
  sourcemap: 'linked',
  logLevel: 'warning',
};

const targets = {
  async renderer() {
    const outdir = join(dist, 'renderer');
    mkdirSync(outdir, { recursive: true });
    await build({
      entryPoints: [join(root, 'renderer/main.tsx')],
      outfile: join(outdir, 'app.js'),
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'chrome120',
      jsx: 'automatic',
      minify: production,
      sourcemap: 'linked',
      define: { 'process.env.NODE_ENV': JSON.stringify(production ? 'production' : 'development') },
      logLevel: 'warning',
    });
    copyFileSync(join(root, 'renderer/index.html'), join(outdir, 'index.html'));
    copyFileSync(join(root, 'renderer/styles.css'), join(outdir, 'styles.css'));
  },
  async main() {
    await build({
      entryPoints: [join(root, 'electron/main/index.ts')],
      outfile: join(dist, 'electron/main/index.js'),
      ...nodeModuleBundle,
    });
  },
  async preload() {
    // A sandboxed preload cannot be an ES module.
    await build({
      entryPoints: [join(root, 'electron/preload/index.ts')],
      outfile: join(dist, 'electron/preload/index.cjs'),
      bundle: true,
      format: 'cjs',
      platform: 'node',
      target: 'node20',
      external: ['electron'],
      logLevel: 'warning',
    });
  },
  async service() {
    // Native and ESM-only packages stay in node_modules (unpacked from asar when packaged).
    // The worker entries sit beside main.js, where the service looks for them when bundled.
    await build({
      entryPoints: {
        main: join(root, 'electron/service/main.ts'),
        'engine-worker': join(root, 'electron/service/engine/engine-worker.ts'),
        'pdf-render-worker': join(root, 'electron/service/pdf/render-worker.ts'),
      },
      outdir: join(dist, 'electron/service'),
      ...nodeModuleBundle,
    });
  },
};

export async function buildTargets(names = Object.keys(targets), options = { dev: false }) {
  production = !options.dev;
  for (const name of names) {
    const started = Date.now();
    if (!targets[name]) throw new Error(`Unknown build target: ${name}`);
    await targets[name]();
    process.stderr.write(`build: ${name} in ${Date.now() - started} ms\n`);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const names = args.filter((arg) => arg !== '--dev');
  buildTargets(names.length > 0 ? names : undefined, { dev: args.includes('--dev') }).catch(
    (error) => {
      process.stderr.write(`build failed: ${error.message}\n`);
      process.exit(1);
    },
  );
}
