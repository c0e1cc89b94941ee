/**
 * One attempt of one task on one engine instance: reads the pages not yet stored, stores each
 * page as it finishes (result and progress in one transaction), samples memory while it
 * runs, and turns what happened into an outcome. It never throws.
 */
import type { PageResult } from '../../../shared/domain';
import { OcrError, toErrorInfo, type ErrorInfo } from '../../../shared/errors';
import { classifyInferenceError } from '../engine/inference-errors';
import type { PoolInstance } from '../pool/instance-pool';
import type { StoredTask } from '../store/task-rows';
import type { ServiceContext } from './service-context';
import { warning } from './task-manager';

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
  const memoryAbort = new AbortController();
  const combined = AbortSignal.any([signal, memoryAbort.signal]);

  // Memory is sampled on the device while the attempt runs; going past the device's budget
  // counts as running out of memory.
  const sample = () => {
    const { usedMb, limitMb } = ctx.monitor.memory(deviceId);
    if (usedMb === null) return;
    peakMemoryMb = Math.max(peakMemoryMb ?? 0, usedMb);
    if (ctx.config().resourceTracking) ctx.store.addMemorySample(task.id, ctx.clock.now(), usedMb);
    if (limitMb === null) return;
    if (usedMb > limitMb) {
      memoryAbort.abort(
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
      ctx.recorder.record(task, ['memory_warning', { device: deviceId, usedMb, limitMb }]);
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
  const outcome = read(ctx, task, instance, combined, notePageMemory)
    .then((result): RunOutcome => {
      if (signal.aborted) return { kind: 'aborted' };
      return result;
    })
    .catch((error: unknown): RunOutcome => {
      if (signal.aborted) return { kind: 'aborted' };
      if (memoryAbort.signal.aborted)
        return { kind: 'failed', error: toErrorInfo(memoryAbort.signal.reason) };
      return { kind: 'failed', error: classifyInferenceError(error) };
    })
    .finally(() => {
      clearInterval(interval);
      sample();
    });
  return { outcome, peakMemoryMb: () => peakMemoryMb };
}

async function read(
  ctx: ServiceContext,
  task: StoredTask,
  instance: PoolInstance,
  signal: AbortSignal,
  notePageMemory: (rssMb: number) => void,
): Promise<RunOutcome> {
  const stored = new Set(ctx.results.storedPageIndices(task.id));
  const total = task.pagesTotal ?? 0;
  const wanted = task.options.pages ?? Array.from({ length: total }, (_, i) => i);
  const pages = wanted.filter((p) => !stored.has(p));
  if (pages.length === 0 && total > 0) return { kind: 'completed' };

  const onPage = (page: PageResult) => {
    if (signal.aborted) return;
    notePageMemory(page.rssMb);
    instance.pagesRead += 1;
    const nowMs = ctx.clock.now();
    for (const w of page.warnings) {
      if (TASK_LEVEL_PAGE_WARNINGS.has(w.code))
        task.warnings.push(warning(w.code, w.message, nowMs, page.pageIndex));
    }
    task.pagesDone = Math.min(task.pagesTotal ?? Infinity, task.pagesDone + 1);
    ctx.recorder.recordWith(task, () => ctx.results.savePage(task.id, page), [
      'page_completed',
      {
        pageIndex: page.pageIndex,
        confidence: page.confidence,
        lines: page.blocks.reduce((n, b) => n + b.lines.length, 0),
      },
    ]);
  };
  const onPageError = (pageIndex: number, error: ErrorInfo) => {
    if (signal.aborted) return;
    task.warnings.push(
      warning('page_failed', `Page ${pageIndex + 1}: ${error.message}`, ctx.clock.now(), pageIndex),
    );
    ctx.recorder.recordWith(task, () => ctx.results.savePageError(task.id, { pageIndex, error }), [
      'page_failed',
      { pageIndex, code: error.code, message: error.message },
    ]);
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
