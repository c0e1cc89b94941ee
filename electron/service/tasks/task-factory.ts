/**
 * Turns a submitted file into a task: reads its header, estimates its memory on each usable
 * device and picks the first that has room (a GPU before the CPU).
 */
import { randomUUID } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { DeviceId, TaskOptions } from '../../../shared/contract';
import type { DocumentInfo } from '../../../shared/domain';
import { OcrError, toErrorInfo, type ErrorInfo } from '../../../shared/errors';
import type { Device } from '../devices/device-discovery';
import type { StoredTask } from '../store/task-rows';
import { estimateMemoryMb } from './memory-estimate';
import type { ServiceContext } from './service-context';

export interface Placement {
  device: Device;
  estimatedMemoryMb: number;
}

export type Inspection =
  | { ok: true; info: DocumentInfo; placement: Placement }
  | { ok: false; info: DocumentInfo | null; error: ErrorInfo; estimatedMemoryMb: number | null };

export function newTask(
  ctx: ServiceContext,
  path: string,
  priority: number,
  options: TaskOptions,
): StoredTask {
  const nowMs = ctx.clock.now();
  return {
    id: randomUUID(),
    source: { path, name: basename(path), format: null, sizeBytes: null },
    options,
    status: 'queued',
    priority,
    originalPriority: priority,
    pagesDone: 0,
    pagesTotal: null,
    createdAtMs: nowMs,
    queuedAtMs: nowMs,
    startedAtMs: null,
    finishedAtMs: null,
    updatedAtMs: nowMs,
    notBeforeMs: null,
    attempts: 0,
    failureReason: null,
    failureMessage: null,
    estimatedMemoryMb: null,
    actualMemoryMb: null,
    assignedDevice: null,
    serviceInstanceId: null,
    resourceCleanupCompleted: false,
    memoryReductionFactor: 1,
    warnings: [],
    queueSeq: ctx.store.nextQueueSeq(),
    processingMs: 0,
    lastWaitMs: null,
    pageWidthPx: null,
    pageHeightPx: null,
  };
}

export function estimateOn(
  ctx: ServiceContext,
  device: Device,
  info: Pick<DocumentInfo, 'widthPx' | 'heightPx' | 'pageCount'>,
  factor: number,
): number {
  return estimateMemoryMb({
    info,
    deviceKind: device.kind,
    memoryReductionFactor: factor,
    pagesInFlight: device.kind === 'cpu' ? ctx.cpuWorkers() : 1,
  });
}

/** GPUs first (the preferred device before all), then the CPU; the first whose budget fits. */
export function placeTask(
  ctx: ServiceContext,
  info: DocumentInfo,
  factor: number,
  preferred: DeviceId | 'auto' | undefined,
): Placement | { error: ErrorInfo; estimatedMemoryMb: number | null } {
  const usable = ctx.monitor.usable();
  if (usable.length === 0) {
    return {
      error: { code: 'device_unavailable', message: 'No device is enabled' },
      estimatedMemoryMb: null,
    };
  }
  const ordered = [...usable].sort((a, b) => rank(a, preferred) - rank(b, preferred));
  let smallest: number | null = null;
  for (const device of ordered) {
    const estimate = estimateOn(ctx, device, info, factor);
    smallest = smallest === null ? estimate : Math.min(smallest, estimate);
    const limitMb = ctx.monitor.limitMb(device.id);
    if (limitMb === null || estimate <= limitMb) return { device, estimatedMemoryMb: estimate };
  }
  const limits = ordered.map((d) => `${d.id} ${ctx.monitor.limitMb(d.id)} MB`).join(', ');
  return {
    error: {
      code: 'memory_limit_exceeded',
      message: `The document needs about ${smallest} MB; no device has that much (${limits})`,
    },
    estimatedMemoryMb: smallest,
  };
}

function rank(device: Device, preferred: DeviceId | 'auto' | undefined): number {
  if (preferred && preferred !== 'auto' && device.id === preferred) return 0;
  return device.kind === 'cpu' ? 2 : 1;
}

/** Checks the file and its header, and finds it a device. */
export async function inspectSource(ctx: ServiceContext, task: StoredTask): Promise<Inspection> {
  try {
    const stats = await stat(task.source.path).catch(() => {
      throw new OcrError('file_not_found', `File not found: ${task.source.path}`);
    });
    if (!stats.isFile()) throw new OcrError('invalid_input', `Not a file: ${task.source.path}`);
    task.source.sizeBytes = stats.size;

    const info = await ctx.probe(task.source.path);
    task.source.format = info.format;
    task.pageWidthPx = info.widthPx;
    task.pageHeightPx = info.heightPx;
    const requested = task.options.pages?.filter((p) => p < info.pageCount);
    task.pagesTotal = requested ? requested.length : info.pageCount;
    const placement = placeTask(ctx, info, task.memoryReductionFactor, task.options.device);
    if ('error' in placement) return { ok: false, info, ...placement };
    return { ok: true, info, placement };
  } catch (error) {
    return { ok: false, info: null, error: toErrorInfo(error), estimatedMemoryMb: null };
  }
}
