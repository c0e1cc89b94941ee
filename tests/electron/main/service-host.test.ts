// Main's service host keeps the service alive: requests wait for it to be ready, a request in
// flight when it dies gets an error value, and the host starts it again. The real service runs
// in a Node child process standing in for Electron's utility process (the one fake: no binary).
import assert from 'node:assert/strict';
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ServiceHost, type ServiceProcess } from '../../../electron/main/service-host';
import { createLogger } from '../../../electron/service/logger';

const entry = join(import.meta.dirname, '..', '..', '..', 'electron', 'service', 'main.ts');

/** utilityProcess.fork's shape over child_process.fork. */
function forkWithNode(children: ChildProcess[]) {
  return (entryPath: string, args: string[], env: Record<string, string>): ServiceProcess => {
    const child = fork(entryPath, args, {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    children.push(child);
    return {
      postMessage: (message) => child.send(message as object),
      on(event: 'message' | 'exit', listener: (value: never) => void) {
        if (event === 'exit')
          child.on('exit', (code) => (listener as (c: number) => void)(code ?? -1));
        else child.on('message', listener as (data: unknown) => void);
        return this;
      },
      kill: () => child.kill(),
    };
  };
}

describe('service host', { timeout: 120_000 }, () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ocr-desk-host-'));
  const children: ChildProcess[] = [];
  const logLines: string[] = [];
  const host = new ServiceHost({
    entryPath: entry,
    args: ['--data-dir', dataDir],
    env: {},
    log: createLogger({ component: 'test', write: (line) => logLines.push(line) }),
    fork: forkWithNode(children),
  });

  after(() => {
    host.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('queues requests until the service is ready, then answers them', async () => {
    host.start();
    const metrics = await host.request('getMetrics', {});
    assert.ok(metrics.ok, JSON.stringify(metrics));
    assert.ok(host.isReady);
  });

  it('answers a request in flight with an error when the service dies, and restarts it', async () => {
    const first = children[0];
    const exited = new Promise((resolve) => first.once('exit', resolve));
    const inFlight = host.request('getConfig', {});
    first.kill('SIGKILL');
    await exited;
    const lost = await inFlight;
    // The request either beat the kill or was answered with the host's error value.
    if (!lost.ok) assert.equal(lost.error.code, 'internal');

    const again = await host.request('getMetrics', {});
    assert.ok(again.ok, JSON.stringify(again));
    assert.equal(children.length, 2);
    assert.notEqual(children[1].pid, first.pid);
    assert.ok(logLines.some((line) => line.includes('service exited; restarting')));
  });
});
