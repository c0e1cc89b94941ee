/**
 * What the views do to the service. Each call returns or shows its error as a value; none
 * throws into React.
 */
import type { Channel, RequestOf, ResponseOf, Result, ServiceEvent } from '../../shared/contract';
import type { ExportFormat } from '../../shared/domain';
import type { DesktopHost, IncomingFiles, RejectedInput } from '../host/host';
import { addNotice, appStore } from './app-store';
import { addMetrics } from './metrics-store';
import { replaceTasks, upsertTasks } from './task-store';
import { baseName } from '../format';

let host: DesktopHost | null = null;
const taskEventListeners = new Set<
  (event: Extract<ServiceEvent, { kind: 'task_event' }>) => void
>();

export function getHost(): DesktopHost {
  if (!host) throw new Error('The renderer host is not initialised.');
  return host;
}

export async function call<C extends Channel>(
  channel: C,
  payload: RequestOf<C>,
): Promise<Result<ResponseOf<C>>> {
  const result = await getHost().client.request(channel, payload);
  if (!result.ok) {
    addNotice({
      kind: 'error',
      title: `${channel} failed`,
      items: [{ name: result.error.code, reason: result.error.message }],
    });
  }
  return result;
}

/** Detail views listen to the event stream of their task without storing every event. */
export function onTaskEvent(
  listener: (event: Extract<ServiceEvent, { kind: 'task_event' }>) => void,
) {
  taskEventListeners.add(listener);
  return () => taskEventListeners.delete(listener);
}

function onServiceEvent(event: ServiceEvent): void {
  switch (event.kind) {
    case 'task_event':
      upsertTasks([event.task]);
      for (const listener of taskEventListeners) listener(event);
      return;
    case 'metrics':
      addMetrics(event.snapshot);
      if (appStore.getState().queuePaused !== event.snapshot.queue.paused) {
        appStore.setState({ queuePaused: event.snapshot.queue.paused });
      }
      return;
    case 'queue_state':
      appStore.setState({ queuePaused: event.state.paused });
      return;
    case 'config_changed':
      appStore.setState({ config: event.config });
      return;
  }
}

const PAGE_SIZE = 500;

export async function loadAllTasks(): Promise<void> {
  const all: ResponseOf<'listTasks'>['tasks'] = [];
  for (let offset = 0; ; offset += PAGE_SIZE) {
    const result = await getHost().client.request('listTasks', {
      order: 'newest',
      offset,
      limit: PAGE_SIZE,
    });
    if (!result.ok) break;
    all.push(...result.value.tasks);
    if (all.length >= result.value.total || result.value.tasks.length === 0) break;
  }
  replaceTasks(all);
}

export async function initialise(newHost: DesktopHost): Promise<void> {
  host = newHost;
  newHost.client.subscribe(onServiceEvent);
  newHost.onOpenPaths((paths) => void submitIncoming({ paths, rejected: [] }));
  // Events sent while the socket was down are lost: reload the list when it comes back.
  let lostConnection = false;
  newHost.onConnection((state) => {
    appStore.setState({ connected: state === 'open' });
    if (state === 'closed') lostConnection = true;
    else if (lostConnection) void loadAllTasks();
  });

  const [config, formats, metrics] = await Promise.all([
    newHost.client.request('getConfig', {}),
    newHost.client.request('listExportFormats', {}),
    newHost.client.request('getMetrics', {}),
  ]);
  appStore.setState({
    config: config.ok ? config.value : null,
    exportFormats: formats.ok ? formats.value.formats : [],
  });
  if (metrics.ok) {
    addMetrics(metrics.value);
    appStore.setState({ queuePaused: metrics.value.queue.paused });
  }
  await loadAllTasks();
}

/** Submits what came in and lists every file that did not become a task, with its reason. */
export async function submitIncoming(incoming: IncomingFiles): Promise<void> {
  const rejected: RejectedInput[] = [...incoming.rejected];
  if (incoming.paths.length > 0) {
    const result = await getHost().client.request('submit', { paths: incoming.paths });
    if (result.ok) {
      upsertTasks(result.value.tasks);
      for (const one of result.value.rejected)
        rejected.push({ name: baseName(one.path), reason: one.error.message });
      for (const one of result.value.skipped)
        rejected.push({ name: baseName(one.path), reason: one.reason });
    } else {
      rejected.push({ name: `${incoming.paths.length} file(s)`, reason: result.error.message });
    }
  }
  if (rejected.length > 0) {
    addNotice({ kind: 'error', title: `${rejected.length} file(s) not added`, items: rejected });
  }
}

export async function addFiles(files: File[], entries?: FileSystemEntry[]): Promise<void> {
  if (files.length === 0 && (!entries || entries.length === 0)) return;
  await submitIncoming(await getHost().addFiles(files, entries));
}

async function taskCall(channel: 'cancel' | 'retry' | 'pauseTask' | 'resumeTask', taskId: string) {
  const result = await call(channel, { taskId });
  if (result.ok) upsertTasks([result.value]);
}

export const cancelTask = (taskId: string) => taskCall('cancel', taskId);
export const retryTask = (taskId: string) => taskCall('retry', taskId);

export async function setTaskPriority(taskId: string, priority: number): Promise<void> {
  const result = await call('setPriority', { taskId, priority });
  if (result.ok) upsertTasks([result.value]);
}

export async function setQueuePaused(paused: boolean): Promise<void> {
  const result = await call(paused ? 'pauseQueue' : 'resumeQueue', {});
  if (result.ok) appStore.setState({ queuePaused: result.value.paused });
}

export async function exportTasks(
  taskIds: string[],
  formats: ExportFormat[],
  destinationDir: string,
) {
  return getHost().client.request('export', { taskIds, formats, destinationDir });
}
