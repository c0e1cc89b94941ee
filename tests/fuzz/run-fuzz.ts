/**
 * One full fuzz run, shared by `npm run fuzz` and the shorter test: a real service behind the
 * Electron router, then browser mode (serve.ts) over its WebSocket; afterwards both must still
 * answer, and every task they hold must come from a file the user chose.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative } from 'node:path';
import type { ServiceClient } from '../../shared/contract';
import { connectSocket } from '../e2e/support/ws-client';
import { startServe } from '../e2e/support/serve-process';
import { startServiceProcess } from '../electron/service/helpers/service-process';
import { SIMPLE_PNG } from '../electron/service/helpers/corpus';
import { formatReport, fuzzIpcRouter, fuzzWebSocket, type FuzzReport } from './fuzz-targets';

export interface FuzzRunOptions {
  /** Messages per target. */
  count: number;
  seed: number;
  log?: (line: string) => void;
}

export interface FuzzRun {
  reports: FuzzReport[];
  /** Problems found after the run: a door that stopped answering, a task from a forbidden path. */
  problems: string[];
}

function inside(path: string, dir: string): boolean {
  const rel = relative(dir, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

async function sourcesOutside(client: Pick<ServiceClient, 'request'>, dir: string) {
  const listed = await client.request('listTasks', { limit: 500 });
  if (!listed.ok) return [`listTasks failed after the fuzz: ${listed.error.message}`];
  return listed.value.tasks
    .filter((t) => !inside(t.source.path, dir))
    .map((t) => `a task reads a file nobody chose: ${t.source.path}`);
}

export async function runFuzz(options: FuzzRunOptions): Promise<FuzzRun> {
  const log = options.log ?? (() => undefined);
  const problems: string[] = [];
  const reports: FuzzReport[] = [];
  const root = mkdtempSync(join(tmpdir(), 'ocr-desk-fuzz-'));
  try {
    const inputDir = join(root, 'chosen');
    const exportDir = join(root, 'exports');
    mkdirSync(inputDir);
    mkdirSync(exportDir);
    const chosen = join(inputDir, 'chosen.png');
    copyFileSync(SIMPLE_PNG, chosen);

    const service = await startServiceProcess(join(root, 'data'));
    try {
      const report = await fuzzIpcRouter({
        count: options.count,
        seed: options.seed,
        client: service.client,
        inputDir,
        inputFiles: [chosen, inputDir],
        exportDir,
      });
      reports.push(report);
      log(formatReport(report));
      const alive = await service.client.request('getMetrics', {});
      if (!alive.ok || service.child.exitCode !== null)
        problems.push('the service stopped answering');
      problems.push(...(await sourcesOutside(service.client, inputDir)));
    } finally {
      await service.stop();
    }

    const serve = await startServe();
    try {
      const upload = await fetch(`http://127.0.0.1:${serve.port}/api/upload`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${serve.token}`, 'x-file-name': 'page.png' },
        body: readFileSync(SIMPLE_PNG),
      });
      const uploaded = ((await upload.json()) as { value?: { path: string } }).value?.path;
      if (!uploaded) problems.push(`upload failed with HTTP ${upload.status}`);
      const report = await fuzzWebSocket({
        count: options.count,
        seed: options.seed + 1,
        port: serve.port,
        token: serve.token,
        grantedPaths: uploaded ? [uploaded] : [],
      });
      reports.push(report);
      log(formatReport(report));
      const socket = await connectSocket(serve.port, serve.token);
      const alive = await socket.request('getMetrics', {});
      if (!alive.ok) problems.push('browser mode stopped answering');
      problems.push(...(await sourcesOutside(socket, serve.dataDir)));
      socket.close();
      if (serve.child.exitCode !== null) problems.push('browser mode exited');
    } finally {
      await serve.stop();
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  return { reports, problems };
}
