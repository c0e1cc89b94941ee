// Runs every tests/**/*.test.ts file with Node's test runner (TypeScript through tsx).
// Usage: node scripts/run-tests.mjs [--screenshots] [substring filter...]
// --screenshots: the end-to-end tests write their screenshots to docs/screenshots.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

function findTests(dir) {
  const found = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (name === 'node_modules' || name.startsWith('.')) continue;
    if (statSync(path).isDirectory()) found.push(...findTests(path));
    else if (name.endsWith('.test.ts') || name.endsWith('.test.tsx')) found.push(path);
  }
  return found;
}

const args = process.argv.slice(2);
const screenshots = args.includes('--screenshots');
const filters = args.filter((arg) => arg !== '--screenshots');
const files = findTests('tests')
  .map((f) => relative('.', f))
  .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)))
  .sort();
if (files.length === 0) {
  console.error('No test files matched.');
  process.exit(1);
}
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=spec', ...files],
  {
    stdio: 'inherit',
    env: screenshots ? { ...process.env, OCR_DESK_SCREENSHOTS: 'docs' } : process.env,
  },
);
process.exit(result.status ?? 1);
