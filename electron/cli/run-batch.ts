/**
 * One command-line batch: collect the inputs, submit them to the service (as the queue has
 * room), follow them to the end, export each result into the mirrored output tree, and
 * summarise. If our service child dies, a new one is started and the batch goes on.
 */
import { basename } from 'node:path';
import type { ExportFile, PageError, Task } from '../../shared/contract';
import type { ErrorCode, ErrorInfo } from '../../shared/errors';
import { restartCanHelp } from '../service/service-exit';
import {
  collectInputs,
  type Collected,
  type CollectedFile,
} from '../service/inputs/collect-inputs';
import {
  buildSummary,
  describeItem,
  formatSummary,
  writeSummary,
  type BatchSummary,
  type SummaryItem,
} from './batch-summary';
import type { CliOptions } from './cli-args';
import {
  carriedForward,
  destinationOf,
  earlierOutputs,
  leaveOutEarlierOutputs,
  lockOutDir,
  planOutputs,
  prepareOutDir,
} from './output-plan';
import type { TransportClient } from '../service/transport/rpc';
import { connectToService, ServiceStartError, type ServiceConnection } from './service-connection';

/** How often task states are polled besides the pushed events, in ms. */
const POLL_MS = 500;
/** Service restarts in a row (with no document completed between) before giving up. */
const MAX_RESTARTS = 3;
/**
 * Tasks the CLI keeps in the service at once: enough to keep every instance busy, few enough
 * that none waits in the queue long enough to reach the queue timeout.
 */
const IN_FLIGHT = 8;
/** How long an interrupted batch waits for its cancelled tasks to stop, in ms. */
const CANCEL_WAIT_MS = 5_000;

export interface BatchIo {
  /** Progress and summary lines (stderr). */
  log: (text: string) => void;
  /** Aborted when the user interrupts: the batch's tasks are cancelled and the summary written. */
  signal?: AbortSignal;
  /** How the batch reaches a service on its data folder; `connectToService` unless a test says. */
  connect?: (dataDir: string) => Promise<ServiceConnection>;
}

interface Tracked {
  file: CollectedFile;
  taskId: string;
}

export interface BatchOutcome {
  summary: BatchSummary;
  /** Whether the summary file was written; it is told on stderr either way. */
  summaryWritten: boolean;
}

export async function runBatch(
  options: CliOptions,
  dataDir: string,
  io: BatchIo,
): Promise<BatchOutcome> {
  const startedMs = Date.now();
  await prepareOutDir(options.outDir);
  const outLock = lockOutDir(options.outDir);
  try {
    return await runLocked(options, dataDir, io, startedMs);
  } finally {
    outLock.release();
  }
}

async function runLocked(
  options: CliOptions,
  dataDir: string,
  io: BatchIo,
  startedMs: number,
): Promise<BatchOutcome> {
  const earlier = await earlierOutputs(options.outDir);
  const collected = leaveOutEarlierOutputs(
    await collectInputs(options.inputs, { excludeDirs: [options.outDir], distinct: true }),
    earlier,
  );
  const items: SummaryItem[] = [];

  for (const path of collected.missing) {
    items.push(failedItem(path, null, 'file_not_found', `File not found: ${path}`));
  }
  for (const { path, error } of collected.unreadableFolders) {
    items.push(failedItem(path, null, error.code, error.message));
  }
  for (const skipped of collected.skipped) {
    items.push({
      ...emptyItem(skipped.path, null),
      status: 'skipped',
      skippedReason: skipped.reason,
    });
  }

  const plan = planOutputs(collected, options);
  const follower =
    collected.files.length > 0
      ? new BatchFollower(options, dataDir, io, collected.files, plan.stems)
      : null;
  try {
    if (follower) {
      io.log(describeStart(collected, options.outDir));
      items.push(...(await follower.run()));
    } else if (items.length === 0) {
      // Nothing at all met: say so, rather than a bare "0 completed".
      io.log(
        `Nothing to read: no documents in ${options.inputs.join(', ')} (hidden files, the output folder and earlier results in it are left out)\n`,
      );
    }
    const written = items.flatMap((item) => item.outputs);
    const kept = carriedForward(earlier, written, plan.summaryPath);
    const summary = buildSummary(items, options.outDir, options.formats, startedMs, kept);
    const writeError = await writeSummary(summary, plan.summaryPath).then(
      () => undefined,
      (error: Error) => error.message,
    );
    io.log(formatSummary(summary, plan.summaryPath, writeError));
    return { summary, summaryWritten: writeError === undefined };
  } finally {
    // After the summary: letting go of a service another CLI still uses can take a while.
    await follower?.release();
  }
}

function describeStart(collected: Collected, outDir: string): string {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const { files, skipped, missing } = collected;
  const notes = [
    ...(missing.length > 0 ? [`${plural(missing.length, 'file')} not found`] : []),
    ...(skipped.length > 0
      ? [
          `skipping ${plural(skipped.length, 'file')} that ${skipped.length === 1 ? 'is not a document' : 'are not documents'}`,
        ]
      : []),
  ];
  const noted = notes.length > 0 ? ` (${notes.join('; ')})` : '';
  return `Reading ${plural(files.length, 'file')} into ${outDir}${noted}\n`;
}

class BatchFollower {
  private connection: ServiceConnection | null = null;
  private restarts = 0;
  /** Why the service cannot start, when starting it again cannot help. */
  private startFailure: ErrorInfo | null = null;
  private readonly waiting: CollectedFile[];
  private readonly tracked = new Map<string, Tracked>();
  private readonly results: SummaryItem[] = [];
  /**
   * Files whose submit was sent but never answered (the connection was lost), with when it was
   * sent: the service may have made the task before it went, and then it is adopted, not made
   * twice.
   */
  private readonly unanswered = new Map<CollectedFile, number>();
  private wakeUp: (() => void) | null = null;

  constructor(
    private readonly options: CliOptions,
    private readonly dataDir: string,
    private readonly io: BatchIo,
    private readonly files: CollectedFile[],
    private readonly stems: Map<string, string>,
  ) {
    this.waiting = [...files];
    io.signal?.addEventListener('abort', () => this.wakeUp?.(), { once: true });
  }

  private get interrupted(): boolean {
    return this.io.signal?.aborted ?? false;
  }

  async run(): Promise<SummaryItem[]> {
    try {
      while (this.pending && !this.interrupted) {
        const client = await this.client();
        if (!client) break;
        await this.submitWhileRoom();
        await this.collectFinished();
        if (this.pending) await this.pause();
      }
      if (this.interrupted) await this.cancelTracked();
    } catch (error) {
      await this.release();
      throw error;
    }
    // Whatever could not be followed to the end (interrupted, the service kept dying, or it
    // cannot start) is a failure.
    const { code, message } = this.interrupted
      ? { code: 'cancelled' as const, message: 'Interrupted before it was read' }
      : (this.startFailure ?? { code: 'internal', message: 'The OCR service stopped repeatedly' });
    const status = this.interrupted ? 'cancelled' : 'failed';
    for (const file of [...this.waiting, ...[...this.tracked.values()].map((t) => t.file)]) {
      this.finish({ ...failedItem(file.path, file.relativePath, code, message), status });
    }
    return this.results;
  }

  /** Lets go of the service (see ServiceConnection.close). */
  async release(): Promise<void> {
    const connection = this.connection;
    this.connection = null;
    await connection?.close((message) => this.io.log(`${message}\n`));
  }

  private get pending(): boolean {
    return this.waiting.length > 0 || this.tracked.size > 0;
  }

  /** On interruption: the batch's tasks are cancelled, so that none is left in the queue. */
  private async cancelTracked(): Promise<void> {
    const client = this.connection?.client;
    if (!client || client.isClosed || this.tracked.size === 0) return;
    this.io.log(`Interrupted: cancelling ${this.tracked.size} unfinished tasks\n`);
    await Promise.all(
      [...this.tracked.keys()].map((taskId) => client.request('cancel', { taskId })),
    );
    // A running task ends once its engine has stopped: wait for that (briefly), so that each
    // is told as it ended. Those that finished meanwhile are still exported.
    const deadline = Date.now() + CANCEL_WAIT_MS;
    do {
      await this.collectFinished();
      if (this.tracked.size > 0) await new Promise((resolve) => setTimeout(resolve, 100));
    } while (this.tracked.size > 0 && !client.isClosed && Date.now() < deadline);
  }

  /** The live client, starting or restarting the service when needed. */
  private async client(): Promise<TransportClient | null> {
    if (this.connection && !this.connection.client.isClosed) return this.connection.client;
    if (this.connection) {
      if (this.restarts >= MAX_RESTARTS) return null;
      this.restarts += 1;
      this.io.log(`The OCR service stopped; restarting it (${this.restarts} of ${MAX_RESTARTS})\n`);
    }
    try {
      const connection = await this.connectUnlessInterrupted();
      if (!connection) return null;
      this.connection = connection;
    } catch (error) {
      this.io.log(`${(error as Error).message}\n`);
      if (error instanceof ServiceStartError && !restartCanHelp(error.status)) {
        this.startFailure = error.info;
        return null;
      }
      if (this.restarts >= MAX_RESTARTS) return null;
      this.restarts += 1;
      return this.client();
    }
    this.connection.client.subscribe((event) => {
      const final = ['completed', 'failed', 'cancelled'];
      if (event.kind === 'task_event' && final.includes(event.event.type)) this.wakeUp?.();
    });
    this.connection.client.onClose(() => this.wakeUp?.());
    return this.connection.client;
  }

  /**
   * A connection to the service, or null when the user interrupts first: starting or joining a
   * service can take a minute, and Ctrl-C must not wait for it. A connection made after that
   * is let go at once.
   */
  private async connectUnlessInterrupted(): Promise<ServiceConnection | null> {
    const connecting = (this.io.connect ?? connectToService)(this.dataDir);
    const signal = this.io.signal;
    if (!signal) return connecting;
    const interrupted = new Promise<null>((resolve) => {
      if (signal.aborted) resolve(null);
      signal.addEventListener('abort', () => resolve(null), { once: true });
    });
    const first = await Promise.race([connecting, interrupted]);
    if (!first) {
      connecting.then(
        (late) => late.close(),
        () => undefined,
      );
    }
    return first;
  }

  private async submitWhileRoom(): Promise<void> {
    const client = this.connection!.client;
    while (this.waiting.length > 0 && this.tracked.size < IN_FLIGHT && !this.interrupted) {
      const file = this.waiting[0];
      const adopted = await this.adoptUnanswered(client, file);
      if (client.isClosed) return;
      if (adopted) {
        this.waiting.shift();
        this.tracked.set(adopted.id, { file, taskId: adopted.id });
        continue;
      }
      const sentAtMs = Date.now();
      const response = await client.request('submit', {
        paths: [file.path],
        priority: this.options.priority,
      });
      if (!response.ok) {
        if (client.isClosed) {
          this.unanswered.set(file, sentAtMs);
          return;
        }
        this.waiting.shift();
        this.finish(
          failedItem(file.path, file.relativePath, response.error.code, response.error.message),
        );
        continue;
      }
      const rejection = response.value.rejected[0];
      // A full queue is not the file's fault: try again when tasks have finished.
      if (rejection?.error.code === 'queue_full') return;
      this.waiting.shift();
      if (rejection) {
        this.finish(
          failedItem(file.path, file.relativePath, rejection.error.code, rejection.error.message),
        );
        continue;
      }
      const task = response.value.tasks[0];
      this.tracked.set(task.id, { file, taskId: task.id });
    }
  }

  /**
   * The task a lost submit made for `file`, if the service made one: a task on that path,
   * created since the submit was sent, that no other file of ours follows.
   */
  private async adoptUnanswered(
    client: TransportClient,
    file: CollectedFile,
  ): Promise<Task | null> {
    const sentAtMs = this.unanswered.get(file);
    if (sentAtMs === undefined) return null;
    const listed = await client.request('listTasks', { search: file.path, order: 'newest' });
    if (!listed.ok) return null;
    this.unanswered.delete(file);
    return (
      listed.value.tasks.find(
        (task) =>
          task.source.path === file.path &&
          task.createdAtMs >= sentAtMs &&
          !this.tracked.has(task.id),
      ) ?? null
    );
  }

  private async collectFinished(): Promise<void> {
    const client = this.connection!.client;
    for (const { file, taskId } of [...this.tracked.values()]) {
      const detail = await client.request('getTask', { taskId });
      if (!detail.ok) return;
      const task = detail.value.task;
      if (task.status === 'completed') {
        const item = await this.exportTask(task, file, detail.value.pageErrors);
        // The connection was lost mid-export: the next service exports it again.
        if (!item) return;
        this.tracked.delete(taskId);
        this.finish(item);
      } else if (waitedTooLong(task)) {
        // Waiting its turn is not the document's fault: back in the queue.
        await client.request('retry', { taskId });
      } else if (task.status === 'failed' || task.status === 'cancelled') {
        this.tracked.delete(taskId);
        const code = task.failureReason ?? 'internal';
        const item = failedItem(file.path, file.relativePath, code, task.failureMessage ?? code);
        this.finish({ ...item, status: task.status });
      }
    }
  }

  private async exportTask(
    task: Task,
    file: CollectedFile,
    pageErrors: PageError[],
  ): Promise<SummaryItem | null> {
    const client = this.connection!.client;
    const exported = await client.request('export', {
      taskIds: [task.id],
      formats: this.options.formats,
      destinationDir: destinationOf(file, this.options.outDir),
      stems: { [task.id]: this.stems.get(file.path)! },
    });
    const timeMs =
      task.finishedAtMs !== null && task.startedAtMs !== null
        ? task.finishedAtMs - task.startedAtMs
        : null;
    if (!exported.ok) {
      if (client.isClosed) return null;
      return failedItem(file.path, file.relativePath, exported.error.code, exported.error.message);
    }
    // The document was read whatever became of its exports: its pages and page failures stay.
    const read: SummaryItem = {
      ...emptyItem(file.path, file.relativePath),
      status: 'completed',
      pages: task.pagesDone,
      timeMs,
      // The formats that were written are listed even when another failed, so that a later
      // batch knows them.
      outputs: exported.value.files.map((f) => f.path),
      failedPages: pageErrors.map(({ pageIndex, error }) => ({ page: pageIndex + 1, error })),
      exportNotes: exported.value.files.flatMap(leftOutNote),
    };
    const failure = exported.value.failures[0];
    return failure ? { ...read, status: 'failed', error: failure.error } : read;
  }

  private finish(item: SummaryItem): void {
    // The restart limit is for a service that keeps dying, not for one crash an hour.
    if (item.status === 'completed') this.restarts = 0;
    this.results.push(item);
    this.io.log(`[${this.results.length}/${this.files.length}] ${describeItem(item)}\n`);
  }

  /** Waits for the next task event, a lost connection, or the poll interval. */
  private pause(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeUp = null;
        resolve();
      };
      const timer = setTimeout(done, POLL_MS);
      this.wakeUp = done;
      if (this.interrupted) done();
    });
  }
}

function emptyItem(path: string, relativePath: string | null): SummaryItem {
  return {
    path,
    relativePath,
    status: 'failed',
    pages: null,
    timeMs: null,
    outputs: [],
    error: null,
    failedPages: [],
    exportNotes: [],
    skippedReason: null,
  };
}

/** What an export file lacks, said for the summary: the pages it had to leave out. */
function leftOutNote(file: ExportFile): string[] {
  const pages = (file.leftOutPages ?? []).map((index) => index + 1);
  if (pages.length === 0) return [];
  const which = pages.length === 1 ? `page ${pages[0]} is` : `pages ${pages.join(', ')} are`;
  return [`${which} not in ${basename(file.path)} (cannot be read)`];
}

/** A task that failed only because it waited in the queue past the queue timeout. */
function waitedTooLong(task: Task): boolean {
  return task.status === 'failed' && task.failureReason === 'timeout' && task.attempts === 0;
}

function failedItem(
  path: string,
  relativePath: string | null,
  code: ErrorCode,
  message: string,
): SummaryItem {
  return { ...emptyItem(path, relativePath), status: 'failed', error: { code, message } };
}
