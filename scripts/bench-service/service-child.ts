/**
 * The service as the benchmarks run it: a separate process over its real protocol, started as
 * the command line starts it, with the documents submitted and followed through their events.
 */
import { withEngineAllocator } from '../../electron/service/allocator-env';
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ServiceEvent, Task, TaskEvent } from '../../shared/contract';
import { childProcessTransport } from '../../electron/service/transport/adapters';
import { TransportClient } from '../../electron/service/transport/rpc';

const SERVICE_MAIN = fileURLToPath(new URL('../../electron/service/main.ts', import.meta.url));

export interface ServiceChild {
  child: ChildProcess;
  client: TransportClient;
  stop(): Promise<void>;
}

export async function startService(dataDir: string, configYaml = ''): Promise<ServiceChild> {
  if (configYaml) writeFileSync(join(dataDir, 'config.yaml'), configYaml);
  const child = fork(SERVICE_MAIN, ['--data-dir', dataDir], {
    execArgv: ['--import', import.meta.resolve('tsx')],
    stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
    // As the app and the CLI start it.
    env: withEngineAllocator(),
  });
  const client = new TransportClient(childProcessTransport(child));
  await client.waitReady();
  return {
    child,
    client,
    async stop() {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** A page completion as the service announced it, with the task as it stood then. */
export interface PageEvent {
  pagesDone: number;
  event: TaskEvent;
  task: Task;
}

/** Submits files and resolves with their final tasks; `onPage` sees every page completion. */
export async function runThrough(
  service: ServiceChild,
  files: string[],
  onPage?: (page: PageEvent) => void,
): Promise<Task[]> {
  const { client } = service;
  const finals = new Map<string, Task>();
  let pagesDone = 0;
  let finish: () => void = () => undefined;
  const allDone = new Promise<void>((r) => (finish = r));
  const expected = new Set<string>();
  const unsubscribe = client.subscribe((event: ServiceEvent) => {
    if (event.kind !== 'task_event') return;
    if (event.event.type === 'page_completed') {
      pagesDone += 1;
      onPage?.({ pagesDone, event: event.event, task: event.task });
    }
    if (['completed', 'failed', 'cancelled'].includes(event.event.type)) {
      finals.set(event.task.id, event.task);
      if (expected.size > 0 && [...expected].every((id) => finals.has(id))) finish();
    }
  });
  try {
    const submitted = await client.request('submit', { paths: files });
    if (!submitted.ok) throw new Error(submitted.error.message);
    if (submitted.value.rejected.length > 0)
      throw new Error(submitted.value.rejected[0].error.message);
    for (const task of submitted.value.tasks) expected.add(task.id);
    if ([...expected].every((id) => finals.has(id))) finish();
    await allDone;
    return submitted.value.tasks.map((t) => finals.get(t.id) as Task);
  } finally {
    unsubscribe();
  }
}

/** Resident memory of a process, in MB, or null once it has gone. */
export function rssOfMb(pid: number): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
    return Number.isFinite(kb) ? Math.round(kb / 1024) : null;
  } catch {
    return null;
  }
}
