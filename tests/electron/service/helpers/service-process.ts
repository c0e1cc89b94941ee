/** Starts the real service entry as a separate Node process and talks to it over its IPC channel. */
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { ServiceEvent, Task, TaskStatus } from '../../../../shared/contract';
import { withEngineAllocator } from '../../../../electron/service/allocator-env';
import { childProcessTransport } from '../../../../electron/service/transport/adapters';
import { TransportClient } from '../../../../electron/service/transport/rpc';

export const SERVICE_MAIN = fileURLToPath(
  new URL('../../../../electron/service/main.ts', import.meta.url),
);

export interface ServiceProcess {
  child: ChildProcess;
  client: TransportClient;
  stderr: () => string;
  stop(): Promise<void>;
}

export async function startServiceProcess(
  dataDir: string,
  entry = SERVICE_MAIN,
  args: string[] = [],
): Promise<ServiceProcess> {
  const child = fork(entry, ['--data-dir', dataDir, ...args], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    env: withEngineAllocator(),
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const client = new TransportClient(childProcessTransport(child));
  const ready = client.waitReady();
  const exited = once(child, 'exit').then(([code]) => {
    throw new Error(`The service exited with ${code} before it was ready:\n${stderr}`);
  });
  await Promise.race([ready, exited]);
  exited.catch(() => undefined);
  return {
    child,
    client,
    stderr: () => stderr,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const gone = once(child, 'exit');
      child.kill('SIGTERM');
      await gone;
    },
  };
}

/** Resolves with the tasks once every id has reached a final status (checked by polling and events). */
export async function waitForFinal(
  client: TransportClient,
  taskIds: string[],
  timeoutMs: number,
): Promise<Map<string, Task>> {
  const finalStatuses: TaskStatus[] = ['completed', 'failed', 'cancelled'];
  const deadline = Date.now() + timeoutMs;
  const done = new Map<string, Task>();
  while (Date.now() < deadline) {
    for (const id of taskIds) {
      if (done.has(id)) continue;
      const detail = await client.request('getTask', { taskId: id });
      if (detail.ok && finalStatuses.includes(detail.value.task.status))
        done.set(id, detail.value.task);
    }
    if (done.size === taskIds.length) return done;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`Timed out: ${done.size} of ${taskIds.length} tasks finished`);
}

/** Collects pushed events while a test runs. */
export function recordEvents(client: TransportClient): ServiceEvent[] {
  const events: ServiceEvent[] = [];
  client.subscribe((event) => events.push(event));
  return events;
}
