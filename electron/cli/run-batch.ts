/**
 * One command-line batch: collect the inputs, submit them to the service (as the queue has
 * room), follow them to the end, export each result into the mirrored output tree, and
 * summarise. If our service child dies, a new one is started and the batch goes on.
 */
import { mkdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Task } from '../../shared/contract';
import type { ErrorCode, ErrorInfo } from '../../shared/errors';
import { assignExportStems } from '../service/api/export-names';
import { EXPORT_EXTENSIONS } from '../service/export';
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
import { CliUsageError, type CliOptions } from './cli-args';
import type { TransportClient } from '../service/transport/rpc';
import { connectToService, ServiceStartError, type ServiceConnection } from './service-connection';

/** How often task states are polled besides the pushed events, in ms. */
const POLL_MS = 500;
/** Service restarts one batch tolerates before giving up. */
const MAX_RESTARTS = 3;

export interface BatchIo {
  /** Progress and summary lines (stderr). */
  log: (text: string) => void;
  /** Aborted when the user interrupts: the batch's tasks are cancelled and the summary written. */
  signal?: AbortSignal;
}

interface Tracked {
  file: CollectedFile;
  taskId: string;
}

export async function runBatch(
  options: CliOptions,
  dataDir: string,
  io: BatchIo,
): Promise<BatchSummary> {
  const startedMs = Date.now();
  await prepareOutDir(options.outDir);
  const collected = await collectInputs(options.inputs, {
    excludeDirs: [options.outDir],
    distinct: true,
  });
  const items: SummaryItem[] = [];

  for (const path of collected.missing) {
    items.push(failedItem(path, null, 'file_not_found', `File not found: ${path}`));
  }
  for (const skipped of collected.skipped) {
    items.push({
      ...emptyItem(skipped.path, null),
      status: 'skipped',
      skippedReason: skipped.reason,
    });
  }

  if (collected.files.length > 0) {
    io.log(describeStart(collected, options.outDir));
    const stems = outputStems(collected, options);
    const follower = new BatchFollower(options, dataDir, io, collected.files, stems);
    items.push(...(await follower.run()));
  }

  const summary = buildSummary(items, options.outDir, options.formats, startedMs);
  const summaryPath = await writeSummary(summary);
  io.log(formatSummary(summary, summaryPath));
  return summary;
}

/** The output folder, created; one that exists as a file is the user's mistake, not a failure. */
async function prepareOutDir(outDir: string): Promise<void> {
  const existing = await stat(outDir).catch(() => null);
  if (existing && !existing.isDirectory()) {
    throw new CliUsageError(`--out ${outDir} is a file, not a folder`);
  }
  await mkdir(outDir, { recursive: true });
}

function describeStart(collected: Collected, outDir: string): string {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const { files, skipped, missing } = collected;
  const notes = [
    ...(missing.length > 0 ? [`${plural(missing.length, 'file')} not found`] : []),
    ...(skipped.length > 0
      ? [`skipping ${plural(skipped.length, 'file')} that are not documents`]
      : []),
  ];
  const noted = notes.length > 0 ? ` (${notes.join('; ')})` : '';
  return `Reading ${plural(files.length, 'file')} into ${outDir}${noted}\n`;
}

/**
 * Each file's output name (without the format's extension), unique in its output folder and
 * never the name of a file the batch met, so that `--out` pointing into the inputs cannot
 * replace a user's file.
 */
function outputStems(collected: Collected, options: CliOptions): Map<string, string> {
  return assignExportStems(
    collected.files.map((file) => ({
      key: file.path,
      sourcePath: file.path,
      destinationDir: destinationOf(file, options.outDir),
    })),
    options.formats.map((format) => EXPORT_EXTENSIONS[format]),
    [...collected.skipped.map((skipped) => skipped.path), join(options.outDir, 'summary.json')],
  );
}

function destinationOf(file: CollectedFile, outDir: string): string {
  return join(outDir, dirname(file.relativePath));
}

class BatchFollower {
  private connection: ServiceConnection | null = null;
  private restarts = 0;
  /** Why the service cannot start, when starting it again cannot help. */
  private startFailure: ErrorInfo | null = null;
  private readonly waiting: CollectedFile[];
  private readonly tracked = new Map<string, Tracked>();
  private readonly results: SummaryItem[] = [];
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
      while ((this.waiting.length > 0 || this.tracked.size > 0) && !this.interrupted) {
        const client = await this.client();
        if (!client) break;
        await this.submitWhileRoom();
        await this.collectFinished();
        if (this.waiting.length > 0 || this.tracked.size > 0) await this.pause();
      }
      if (this.interrupted) await this.cancelTracked();
    } finally {
      await this.connection?.close((message) => this.io.log(`${message}\n`));
    }
    // Whatever could not be followed to the end (interrupted, the service kept dying, or it
    // cannot start) is a failure.
    const { code, message } = this.interrupted
      ? { code: 'cancelled' as const, message: 'Interrupted before it was read' }
      : (this.startFailure ?? { code: 'internal', message: 'The OCR service stopped repeatedly' });
    for (const file of [...this.waiting, ...[...this.tracked.values()].map((t) => t.file)]) {
      this.finish(failedItem(file.path, file.relativePath, code, message));
    }
    return this.results;
  }

  /** On interruption: the batch's tasks are cancelled, so that none is left in the queue. */
  private async cancelTracked(): Promise<void> {
    const client = this.connection?.client;
    if (!client || client.isClosed || this.tracked.size === 0) return;
    this.io.log(`Interrupted: cancelling ${this.tracked.size} unfinished tasks\n`);
    await Promise.all(
      [...this.tracked.keys()].map((taskId) => client.request('cancel', { taskId })),
    );
    // Those that finished meanwhile are still exported; the cancelled ones are told as such.
    await this.collectFinished();
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
      this.connection = await connectToService(this.dataDir);
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

  private async submitWhileRoom(): Promise<void> {
    const client = this.connection!.client;
    while (this.waiting.length > 0 && !this.interrupted) {
      const file = this.waiting[0];
      const response = await client.request('submit', {
        paths: [file.path],
        priority: this.options.priority,
      });
      if (!response.ok) {
        if (client.isClosed) return;
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

  private async collectFinished(): Promise<void> {
    const client = this.connection!.client;
    for (const { file, taskId } of [...this.tracked.values()]) {
      const detail = await client.request('getTask', { taskId });
      if (!detail.ok) return;
      const task = detail.value.task;
      if (task.status === 'completed') {
        this.tracked.delete(taskId);
        this.finish(await this.exportTask(task, file));
      } else if (task.status === 'failed' || task.status === 'cancelled') {
        this.tracked.delete(taskId);
        const code = task.failureReason ?? 'internal';
        this.finish(failedItem(file.path, file.relativePath, code, task.failureMessage ?? code));
      }
    }
  }

  private async exportTask(task: Task, file: CollectedFile): Promise<SummaryItem> {
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
    if (!exported.ok)
      return failedItem(file.path, file.relativePath, exported.error.code, exported.error.message);
    const failure = exported.value.failures[0];
    if (failure)
      return failedItem(file.path, file.relativePath, failure.error.code, failure.error.message);
    return {
      ...emptyItem(file.path, file.relativePath),
      status: 'completed',
      pages: task.pagesDone,
      timeMs,
      outputs: exported.value.files.map((f) => f.path),
    };
  }

  private finish(item: SummaryItem): void {
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
    skippedReason: null,
  };
}

function failedItem(
  path: string,
  relativePath: string | null,
  code: ErrorCode,
  message: string,
): SummaryItem {
  return { ...emptyItem(path, relativePath), status: 'failed', error: { code, message } };
}
