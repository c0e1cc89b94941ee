/**
 * An engine whose models cannot be loaded fails to start with the reason, and leaves no
 * worker thread behind: the process that asked can still exit.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ENGINE_INDEX = fileURLToPath(
  new URL('../../../../electron/service/engine/index.ts', import.meta.url),
);

test('a detector that cannot be loaded fails createEngine, and the process still exits', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ocr-desk-startup-'));
  try {
    // Only the first worker loads the detector: the other one loads its models fine, and must
    // not be left running when the engine gives up.
    const broken = join(dir, 'broken-det.onnx');
    writeFileSync(broken, 'not an onnx model');
    const script = join(dir, 'start.ts');
    writeFileSync(
      script,
      [
        `import { createEngine, defaultEngineOptions } from ${JSON.stringify(ENGINE_INDEX)};`,
        `const files = { ...defaultEngineOptions().modelFiles, detection: ${JSON.stringify(broken)} };`,
        `createEngine({ modelFiles: files, workers: 2 }).then(`,
        `  () => console.log('started'),`,
        `  (error) => console.log('refused: ' + error.code + ': ' + error.message),`,
        `);`,
      ].join('\n'),
    );
    const run = spawnSync(process.execPath, ['--import', 'tsx', script], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    assert.equal(run.signal, null, `the process did not exit by itself: ${run.stderr}`);
    assert.match(run.stdout, /refused: \w+: Could not load the models: .+/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
