// Main's service host keeps the service alive: requests wait for it to be ready, a request in
// flight when it dies gets an error value, and the host starts it again; on a data folder the
// service cannot write it does not, and every request gets the reason. The service is the
// bundle the app ships (dist/electron/service, built here) in a Node child process standing in
// for Electron's utility process (the one fake: there is no Electron binary), and it reads a
// corpus image with its bundled engine worker.
import assert from 'node:assert/strict';
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ServiceHost, type ServiceProcess } from '../../../electron/main/service-host';
import { createLogger } from '../../../electron/service/logger';
import type { ErrorInfo } from '../../../shared/errors';
import { makeUnwritable } from '../service/helpers/unwritable-folder';
import { CORPUS_DIR } from '../../support/corpus-dir';

const root = join(import.meta.dirname, '..', '..', '..');
const entry = join(root, 'dist', 'electron', 'service', 'main.js');

/** utilityProcess.fork's shape over child_process.fork. */
function forkWithNode(children: ChildProcess[]) {
  return (entryPath: string, args: string[], env: Record<string, string>): ServiceProcess => {
    const child = fork(entryPath, args, {
      execArgv: [],
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

/** A host of the shipped service on a fresh data folder, with what it forks and logs. */
function hostOnFreshFolder(prefix: string) {
  const dataDir = mkdtempSync(join(tmpdir(), prefix));
  const children: ChildProcess[] = [];
  const logLines: string[] = [];
  const failures: ErrorInfo[] = [];
  const host = new ServiceHost({
    entryPath: entry,
    args: ['--data-dir', dataDir],
    env: {},
    dataDir,
    log: createLogger({ component: 'test', write: (line) => logLines.push(line) }),
    fork: forkWithNode(children),
    onStartFailure: (failure) => failures.push(failure),
  });
  return { dataDir, children, logLines, failures, host };
}

// Both suites run the bundle the app ships.
before(async () => {
  const { buildTargets } = (await import(join(root, 'scripts', 'build.mjs'))) as {
    buildTargets: (names: string[]) => Promise<void>;
  };
  await buildTargets(['service']);
});

describe('service host', { timeout: 120_000 }, () => {
  const { dataDir, children, logLines, host } = hostOnFreshFolder('ocr-desk-host-');

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

  it('reads a document with the bundled engine worker', async () => {
    const image = join(CORPUS_DIR, 'tesseractjs-clean', 'simple.png');
    // Listen before submitting: a small image can finish before submit's answer is read.
    const finishedIds = new Set<string>();
    let notify = () => undefined as void;
    const stop = host.subscribe((event) => {
      if (event.kind !== 'task_event') return;
      if (['completed', 'failed', 'cancelled'].includes(event.task.status)) {
        finishedIds.add(event.task.id);
        notify();
      }
    });
    const submitted = await host.request('submit', { paths: [image] });
    assert.ok(submitted.ok, JSON.stringify(submitted));
    const taskId = submitted.value.tasks[0].id;
    const finished = new Promise<void>((resolve) => {
      notify = () => finishedIds.has(taskId) && resolve();
      notify();
    });
    await finished;
    stop();
    const detail = await host.request('getTask', { taskId, includeResults: true });
    assert.ok(detail.ok);
    assert.equal(detail.value.task.status, 'completed', detail.value.task.failureMessage ?? '');
    assert.match(detail.value.pages[0].text, /Tesseract/);
  });
});

describe('service host on a data folder the service cannot write', { timeout: 60_000 }, () => {
  const { dataDir, children, logLines, failures, host } = hostOnFreshFolder(
    'ocr-desk-host-unwritable-',
  );
  const undo = makeUnwritable(dataDir);

  after(() => {
    host.stop();
    undo?.();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('says why, answers every request with it, and does not restart', async (t) => {
    if (!undo) return t.skip('this machine cannot make a folder unwritable');
    host.start();
    const waited = await host.request('getMetrics', {});
    assert.equal(!waited.ok && waited.error.code, 'storage_unavailable');
    assert.match(
      !waited.ok ? waited.error.message : '',
      new RegExp(`^OCR Desk cannot write its data folder ${dataDir}: .*Make it writable`),
    );
    // Longer than the first restart delay (500 ms): no second service.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.equal(children.length, 1);
    assert.deepEqual(failures, [!waited.ok && waited.error]);
    const later = await host.request('listTasks', {});
    assert.deepEqual(later, waited);
    assert.ok(logLines.some((line) => line.includes('service cannot start; not restarting')));
    assert.ok(!logLines.some((line) => line.includes('service exited; restarting')));
  });
});
