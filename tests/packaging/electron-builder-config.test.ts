// The packaging configuration covers every native file the production dependencies carry
// (so nothing native is left inside the asar archive) and ships the OCR models.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { minimatch } from 'minimatch';
import { parse } from 'yaml';

const root = join(import.meta.dirname, '..', '..');

interface BuilderConfig {
  files: string[];
  asarUnpack: string[];
  extraResources: { from: string; to: string; filter: string[] }[];
  npmRebuild: boolean;
  buildDependenciesFromSource: boolean;
  linux: { target: string[] };
  win: { target: string[] };
  mac: { target: string[] };
}

const config = parse(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as BuilderConfig;
const NATIVE = /\.(node|dll|dylib)$|\.so(\.\d+)*$|\.dylib\.\d+/;

/** Finds a package's folder the way Node resolves it from `fromDir`. */
function resolvePackage(name: string, fromDir: string): string | null {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dir === root || dirname(dir) === dir) return null;
  }
}

/** Every package folder reachable from the production dependencies (optional ones if present). */
function productionPackages(): string[] {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const seen = new Set<string>();
  const visit = (name: string, fromDir: string) => {
    const dir = resolvePackage(name, fromDir);
    if (!dir || seen.has(dir)) return;
    seen.add(dir);
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    for (const dep of Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies }))
      visit(dep, dir);
  };
  for (const dep of Object.keys(manifest.dependencies)) visit(dep, root);
  return [...seen];
}

function nativeFilesUnder(dir: string, out: string[]): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    // A nested node_modules holds other packages; they are visited as packages of their own.
    if (entry.isDirectory() && entry.name !== 'node_modules') nativeFilesUnder(path, out);
    else if (entry.isFile() && NATIVE.test(entry.name))
      out.push(relative(root, path).split('\\').join('/'));
  }
}

describe('electron-builder configuration', () => {
  const packages = productionPackages();
  const nativeFiles: string[] = [];
  for (const dir of packages) nativeFilesUnder(dir, nativeFiles);

  it('finds the native modules of the production dependencies', () => {
    const names = nativeFiles.join('\n');
    for (const expected of [
      'onnxruntime_binding.node',
      'better_sqlite3.node',
      'libvips-cpp',
      'sharp-linux',
      'skia.',
    ]) {
      assert.ok(
        names.includes(expected),
        `no ${expected} found among ${nativeFiles.length} native files`,
      );
    }
  });

  it('unpacks every native file from the archive', () => {
    const uncovered = nativeFiles.filter(
      (file) => !config.asarUnpack.some((pattern) => minimatch(file, pattern, { dot: true })),
    );
    assert.deepEqual(uncovered, [], 'native files left inside app.asar');
  });

  it('unpacks whole native packages whose loaders look for siblings', () => {
    for (const pkg of [
      'node_modules/sharp/lib/index.js',
      'node_modules/better-sqlite3/lib/index.js',
    ]) {
      assert.ok(
        config.asarUnpack.some((pattern) => minimatch(pkg, pattern, { dot: true })),
        pkg,
      );
    }
  });

  it('ships every model file as a resource under models/', () => {
    const models = config.extraResources.find((r) => r.to === 'models');
    assert.ok(models, 'no extraResources entry for the models');
    const dir = join(root, models.from);
    const files = readdirSync(dir).filter((f) => statSync(join(dir, f)).isFile());
    for (const needed of ['det', 'rec', 'cls', 'keys']) {
      assert.ok(
        files.some((f) => f.includes(needed)),
        `model folder lacks a ${needed} file`,
      );
    }
    const shipped = files.filter((f) =>
      models.filter.some((pattern) => minimatch(f, pattern, { dot: true })),
    );
    assert.deepEqual(shipped.sort(), files.filter((f) => /\.(onnx|txt)$/.test(f)).sort());
    assert.ok(shipped.length >= 4);
  });

  it('rebuilds native dependencies for Electron and targets every platform', () => {
    assert.equal(config.npmRebuild, true);
    assert.equal(config.buildDependenciesFromSource, true);
    assert.deepEqual(config.linux.target, ['AppImage', 'deb']);
    assert.deepEqual(config.win.target, ['nsis']);
    assert.deepEqual(config.mac.target, ['dmg']);
    assert.ok(config.files.includes('dist/**/*'));
  });

  it('points the packaged service at the shipped models', () => {
    const mainSource = readFileSync(join(root, 'electron/main/index.ts'), 'utf8');
    assert.match(mainSource, /OCR_DESK_MODELS_DIR: join\(process\.resourcesPath, 'models'\)/);
  });
});
