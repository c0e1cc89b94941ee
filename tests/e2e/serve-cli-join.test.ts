// A CLI batch on the data folder of a running browser mode joins its service through the
// data folder's socket (rather than waiting for the lock browser mode holds): the batch ends
// at once, its task shows in the page's task list, and browser mode keeps serving afterwards.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { connectSocket } from './support/ws-client';
import { corpusDir, repoRoot, startServe } from './support/serve-process';

/** Long enough for one small image on a busy machine, far short of the CLI's join retries. */
const CLI_LIMIT_MS = 60_000;

function runCli(args: string[]): Promise<{ code: number | null; stderr: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(repoRoot, 'bin/ocr-desk.js'), ...args], {
      cwd: tmpdir(),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), CLI_LIMIT_MS);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr, ms: Date.now() - started });
    });
  });
}

test('a CLI batch joins the service of a running browser mode', { timeout: 180_000 }, async () => {
  const serve = await startServe();
  const out = mkdtempSync(join(tmpdir(), 'ocr-desk-join-'));
  try {
    const image = join(corpusDir, 'tesseractjs-clean/simple.png');
    const cli = await runCli([image, '--out', out, '--data-dir', serve.dataDir]);
    assert.equal(cli.code, 0, cli.stderr);
    assert.doesNotMatch(cli.stderr, /Another OCR Desk service/);

    // The page sees the batch's task, done, and the server still answers after the CLI left.
    const socket = await connectSocket(serve.port, serve.token);
    try {
      const listed = await socket.request('listTasks', {});
      assert.ok(listed.ok, JSON.stringify(listed));
      const task = listed.value.tasks.find((t) => t.source.path === image);
      assert.equal(task?.status, 'completed', JSON.stringify(listed.value.tasks));
    } finally {
      socket.close();
    }
    assert.equal(serve.child.exitCode, null);
    assert.equal((await fetch(`${serve.origin}/?token=${serve.token}`)).status, 200);
  } finally {
    await serve.stop();
    rmSync(out, { recursive: true, force: true });
  }
});
