// Browser mode runs the engine in the server's own process, so on Linux the server runs again
// as a child with the engine's allocator settings (as the app's and the CLI's service children
// have them); the child goes when its parent is killed, taking nothing of the data folder along.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { until } from '../electron/service/helpers/until';
import { startServe } from './support/serve-process';

const linux = process.platform === 'linux';

function environment(pid: number): Map<string, string> {
  const entries = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').filter(Boolean);
  return new Map(entries.map((entry) => entry.split(/=(.*)/s, 2) as [string, string]));
}

test(
  'the serving process has the allocator settings and stops when its parent is killed',
  { skip: linux ? false : 'the allocator settings are for glibc (Linux)' },
  async () => {
    const serve = await startServe();
    try {
      const owner = Number(JSON.parse(readFileSync(`${serve.dataDir}/service.lock`, 'utf8')).pid);
      assert.notEqual(owner, serve.child.pid, 'the service runs in a child of the started process');
      assert.equal(environment(owner).get('MALLOC_ARENA_MAX'), '2');
      const response = await fetch(`${serve.origin}/?token=${serve.token}`);
      assert.equal(response.status, 200);

      serve.child.kill('SIGKILL');
      await until(async () => !existsSync(`/proc/${owner}`), 15_000);
      assert.ok(!existsSync(`${serve.dataDir}/service.lock`), 'the lock went with the service');
    } finally {
      await serve.stop();
    }
  },
);
