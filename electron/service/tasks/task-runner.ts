/**
 * One attempt of one task on one engine instance: reads the pages not yet stored, stores each
 * page as it finishes (result and progress in one transaction), samples memory while it
 * runs, and turns what happened into an outcome. It never throws: a page the store refuses
 * (disk full, read-only, locked) stops the attempt with the storage error, the pages stored
 * before it kept.
 */
import type { PageResult } from '../../../shared/domain';
import { OcrError, toErrorInfo, type ErrorInfo } from '../../../shared/errors';
import { classifyInferenceError } from '../engine/inference-errors';
import type { PoolInstance } from '../pool/instance-pool';
import type { StoredTask } from '../store/task-rows';
import type { ServiceContext } from './service-context';
import { warning } from './task-manager';
import type { EventEntry } from './task-recorder';

export type RunOutcome =
  | { kind: 'completed' }
  | { kind: 'failed'; error: ErrorInfo }
  /** Stopped from outside (cancel, pause, shutdown); the caller knows why. */
  | { kind: 'aborted' };

export interface RunHandle {
  outcome: Promise<RunOutcome>;
  /** Peak memory seen on the device during the attempt, in MB. */
  peakMemoryMb: () => number | null;
}

/** Page warnings worth lifting to the task's health. */
const TASK_LEVEL_PAGE_WARNINGS = new Set(['page_scaled_down', 'low_confidence']);

export function runAttempt(
  ctx: ServiceContext,
  task: StoredTask,
  instance: PoolInstance,
  signal: AbortSignal,
): RunHandle {
  const deviceId = instance.device.id;
  let peakMemoryMb: number | null = null;
  let warnedMemory = false;
  let samplesRefused = false;
  // Stops the attempt from inside, its reason the failure: memory past the budget, or a page
  // the store refused.
  const failure = new AbortController();
  const fail = (reason: unknown) => failure.abort(reason);
  const combined = AbortSignal.any([signal, failure.signal]);

  // Memory is sampled on the device while the attempt runs; going past the device's budget
  // counts as running out of memory.
  const sample = () => {
    const { usedMb, limitMb } = ctx.monitor.memory(deviceId);
    if (usedMb === null) return;
    peakMemoryMb = Math.max(peakMemoryMb ?? 0, usedMb);
    if (ctx.config().resourceTracking) {
      try {
        ctx.store.addMemorySample(task.id, ctx.clock.now(), usedMb);
      } catch (error) {
        // Samples only draw the health chart; the page writes decide whether the attempt goes on.
        if (!samplesRefused)
          ctx.logger.warn('Memory sample not stored', { taskId: task.id, error });
        samplesRefused = true;
      }
    }
    if (limitMb === null) return;
    if (usedMb > limitMb) {
      fail(
        new OcrError(
          'out_of_memory',
          `Memory on ${deviceId} reached ${usedMb} MB, over its ${limitMb} MB limit`,
        ),
      );
      return;
    }
    if (!warnedMemory && usedMb > limitMb * 0.9) {
      warnedMemory = true;
      task.warnings.push(
        warning(
          'memory_warning',
          `Memory on ${deviceId} is at ${usedMb} of ${limitMb} MB`,
          ctx.clock.now(),
        ),
      );
      ctx.recorder.recordOrHold(task, ['memory_warning', { device: deviceId, usedMb, limitMb }]);
    }
  };
  const interval = setInterval(sample, ctx.config().metrics.sampleIntervalMs);
  interval.unref();
  sample();

  // The engine reports the process's memory at the end of each page; on the CPU that is a
  // sample too, and catches peaks between the timer's samples.
  const notePageMemory = (rssMb: number) => {
    if (deviceId === 'cpu') peakMemoryMb = Math.max(peakMemoryMb ?? 0, rssMb);
  };
  const outcome = read(ctx, task, instance, combined, { notePageMemory, fail })
    .then((result): RunOutcome => {
      if (signal.aborted) return { kind: 'aborted' };
      // The engine may finish the document after the last page was refused.
      if (failure.signal.aborted)
        return { kind: 'failed', error: toErrorInfo(failure.signal.reason) };
      return result;
    })
    .catch((error: unknown): RunOutcome => {
      if (signal.aborted) return { kind: 'aborted' };
      if (failure.signal.aborted)
        return { kind: 'failed', error: toErrorInfo(failure.signal.reason) };
      return { kind: 'failed', error: classifyInferenceError(error) };
    })
    .finally(() => {
      clearInterval(interval);
      sample();
    });
  return { outcome, peakMemoryMb: () => peakMemoryMb };
}

interface AttemptHooks {
  notePageMemory: (rssMb: number) => void;
  /** Stops the attempt with this failure. */
  fail: (reason: unknown) => void;
}

async function read(
  ctx: ServiceContext,
  task: StoredTask,
  instance: PoolInstance,
  signal: AbortSignal,
  { notePageMemory, fail }: AttemptHooks,
): Promise<RunOutcome> {
  const stored = new Set(ctx.results.storedPageIndices(task.id));
  const total = task.pagesTotal ?? 0;
  const wanted = task.options.pages ?? Array.from({ length: total }, (_, i) => i);
  const pages = wanted.filter((p) => !stored.has(p));
  if (pages.length === 0 && total > 0) return { kind: 'completed' };

  /**
   * Applies a page's change to the task and stores it with the page's rows; when the store
   * refuses, puts the task back as it was (the page is read again by a later attempt) and
   * stops the attempt.
   */
  const storePage = (apply: () => void, write: () => void, event: EventEntry) => {
    const before = { pagesDone: task.pagesDone, warnings: task.warnings.length };
    apply();
    try {
      ctx.recorder.recordWith(task, write, event);
    } catch (error) {
      task.pagesDone = before.pagesDone;
      task.warnings.length = before.warnings;
      fail(error);
    }
  };
  const onPage = (page: PageResult) => {
    if (signal.aborted) return;
    notePageMemory(page.rssMb);
    instance.pagesRead += 1;
    const nowMs = ctx.clock.now();
    storePage(
      () => {
        for (const w of page.warnings) {
          if (TASK_LEVEL_PAGE_WARNINGS.has(w.code))
            task.warnings.push(warning(w.code, w.message, nowMs, page.pageIndex));
        }
        task.pagesDone = Math.min(task.pagesTotal ?? Infinity, task.pagesDone + 1);
      },
      () => ctx.results.savePage(task.id, page),
      [
        'page_completed',
        {
          pageIndex: page.pageIndex,
          confidence: page.confidence,
          lines: page.blocks.reduce((n, b) => n + b.lines.length, 0),
        },
      ],
    );
  };
  const onPageError = (pageIndex: number, error: ErrorInfo) => {
    if (signal.aborted) return;
    const message = `Page ${pageIndex + 1}: ${error.message}`;
    storePage(
      () => task.warnings.push(warning('page_failed', message, ctx.clock.now(), pageIndex)),
      () => ctx.results.savePageError(task.id, { pageIndex, error }),
      ['page_failed', { pageIndex, code: error.code, message: error.message }],
    );
  };

  await instance.engine.recognizeDocument(task.source.path, {
    pages: task.options.pages || stored.size > 0 ? pages : undefined,
    signal,
    onPage,
    onPageError,
    memoryReductionFactor: task.memoryReductionFactor,
    pdfText: task.options.pdfText,
  });
  return { kind: 'completed' };
}
