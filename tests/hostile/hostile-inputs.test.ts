/**
 * The hostile-input suite: every case from generate-inputs submitted as one batch to the real
 * service (a child process, the real protocol, real models). Each case ends with its own
 * failure code and a readable message, or with the right text when the input is valid; the
 * service stays up throughout and the other tasks of the batch complete.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Task, TaskDetail } from '../../shared/contract';
import { ERROR_CODES } from '../../shared/errors';
import {
  startServiceProcess,
  waitForFinal,
  type ServiceProcess,
} from '../electron/service/helpers/service-process';
import { generateHostileInputs, type Expectation, type HostileCase } from './generate-inputs';

/** The whole batch, 3,000-page PDF included, on 2 cores. */
const BATCH_TIMEOUT_MS = 8 * 60_000;

interface Outcome {
  task: Task | null;
  detail: TaskDetail | null;
  skippedReason: string | null;
}

let dir: string;
let service: ServiceProcess;
let cases: HostileCase[];
const outcomes = new Map<string, Outcome>();
let batchMs = 0;
/** A server on 127.0.0.1 that files point at; it must never be asked for anything. */
let remote: Server;
const remoteHits: string[] = [];

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ocr-desk-hostile-'));
  remote = createServer((request, response) => {
    remoteHits.push(request.url ?? '');
    response.end();
  });
  await new Promise<void>((done) => remote.listen(0, '127.0.0.1', done));
  const address = remote.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  cases = await generateHostileInputs(join(dir, 'inputs'), `http://127.0.0.1:${port}/`);
  service = await startServiceProcess(join(dir, 'data'));
  const { client } = service;

  // Paused, so that the files that change after queueing change before they are read.
  assert.ok((await client.request('pauseQueue', {})).ok);
  const startedMs = Date.now();
  const submitted = await client.request('submit', { paths: cases.map((c) => c.path) });
  assert.ok(submitted.ok, JSON.stringify(submitted));
  assert.deepEqual(submitted.value.rejected, [], 'nothing refused outright');
  for (const c of cases) c.afterQueued?.();
  assert.ok((await client.request('resumeQueue', {})).ok);

  const byPath = new Map(submitted.value.tasks.map((t) => [t.source.path, t]));
  const skipped = new Map(submitted.value.skipped.map((s) => [s.path, s.reason]));
  const ids = submitted.value.tasks.map((t) => t.id);
  const finals = await waitForFinal(client, ids, BATCH_TIMEOUT_MS);
  batchMs = Date.now() - startedMs;

  const record = async (path: string) => {
    const task = byPath.get(resolve(path));
    const outcome: Outcome = { task: null, detail: null, skippedReason: skipped.get(path) ?? null };
    if (task) {
      outcome.task = finals.get(task.id) ?? null;
      const detail = await client.request('getTask', { taskId: task.id, includeResults: true });
      outcome.detail = detail.ok ? detail.value : null;
    }
    outcomes.set(path, outcome);
  };
  for (const c of cases) {
    await record(c.path);
    for (const inner of c.inside ?? []) await record(inner.path);
  }
});

after(async () => {
  await service?.stop();
  remote?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function describeOutcome(outcome: Outcome): string {
  const t = outcome.task;
  if (!t) return `no task (skipped: ${outcome.skippedReason})`;
  return `${t.status} ${t.failureReason ?? ''} ${t.failureMessage ?? ''}`.trim();
}

function check(path: string, expect: Expectation): void {
  const outcome = outcomes.get(path);
  assert.ok(outcome, `no outcome recorded for ${path}`);
  const seen = describeOutcome(outcome);

  if (expect.status === 'skipped') {
    assert.equal(outcome.task, null, `expected no task, got ${seen}`);
    return;
  }
  const task = outcome.task;
  assert.ok(task, `expected a task, got ${seen}`);
  assert.equal(task.status, expect.status, seen);

  if (expect.status === 'failed') {
    assert.equal(task.failureReason, expect.code, seen);
    const message = task.failureMessage ?? '';
    assert.ok(message.length >= 10 && message.length <= 600, `a readable message: ${message}`);
    assert.ok(!/\bat .+:\d+:\d+\)?$/m.test(message), `no stack trace in the message: ${message}`);
    if (expect.message) assert.match(message, expect.message);
    return;
  }

  const detail = outcome.detail;
  assert.ok(detail, 'the result can be fetched');
  const pages = detail.pages;
  if (expect.pages !== undefined) assert.equal(pages.length, expect.pages, 'pages read');
  assert.equal(detail.pageErrors.length, expect.pageErrors ?? 0, JSON.stringify(detail.pageErrors));
  const lines = pages.reduce((n, p) => n + p.blocks.reduce((m, b) => m + b.lines.length, 0), 0);
  if (expect.maxLines !== undefined) assert.ok(lines <= expect.maxLines, `${lines} lines`);
  const text = pages.map((p) => p.text).join('\n');
  if (expect.text) assert.match(text, expect.text, `text read: ${text.slice(0, 300)}`);
}

describe('hostile inputs, one batch through the real service', () => {
  it('has at least 40 kinds of input and finishes the batch in time', () => {
    assert.ok(cases.length >= 40, `${cases.length} cases`);
    assert.ok(batchMs < BATCH_TIMEOUT_MS);
  });

  it('each case', async (t) => {
    for (const c of cases) {
      await t.test(c.name, () => {
        check(c.path, c.expect);
        for (const inner of c.inside ?? []) check(inner.path, inner.expect);
      });
    }
  });

  it('uses only documented failure codes', () => {
    for (const outcome of outcomes.values()) {
      const reason = outcome.task?.failureReason;
      if (reason) assert.ok(reason in ERROR_CODES, reason);
    }
  });

  it('fetched nothing from the addresses the files point at', () => {
    assert.deepEqual(remoteHits, []);
  });

  it('the service is still up and answering', async () => {
    assert.equal(service.child.exitCode, null);
    assert.equal(service.child.signalCode, null);
    const metrics = await service.client.request('getMetrics', {});
    assert.ok(metrics.ok);
    const list = await service.client.request('listTasks', { statuses: ['running', 'queued'] });
    assert.ok(list.ok);
    assert.equal(list.value.total, 0, 'nothing left running or queued');
  });
});
