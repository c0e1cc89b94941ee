/** Mapping between Task records and rows of the tasks table. */
import type { Task, TaskOptions, TaskStatus, TaskWarning } from '../../../shared/contract';
import type { DocumentFormat } from '../../../shared/domain';
import type { ErrorCode } from '../../../shared/errors';

export interface TaskRow {
  id: string;
  source_path: string;
  source_name: string;
  source_format: string | null;
  source_size_bytes: number | null;
  options_json: string;
  status: string;
  priority: number;
  original_priority: number;
  queue_seq: number;
  pages_done: number;
  pages_total: number | null;
  created_at_ms: number;
  queued_at_ms: number | null;
  started_at_ms: number | null;
  finished_at_ms: number | null;
  updated_at_ms: number;
  not_before_ms: number | null;
  attempts: number;
  failure_reason: string | null;
  failure_message: string | null;
  estimated_memory_mb: number | null;
  actual_memory_mb: number | null;
  assigned_device: string | null;
  service_instance_id: string | null;
  resource_cleanup_completed: number;
  memory_reduction_factor: number;
  warnings_json: string;
  processing_ms: number;
  last_wait_ms: number | null;
  page_width_px: number | null;
  page_height_px: number | null;
}

/**
 * Every column of the tasks table, for the store's INSERT and UPDATE. Written as a record so
 * that the compiler holds it to TaskRow: a column missing here or not in TaskRow is an error.
 */
const COLUMN_SET: { [Column in keyof TaskRow]: true } = {
  id: true,
  source_path: true,
  source_name: true,
  source_format: true,
  source_size_bytes: true,
  options_json: true,
  status: true,
  priority: true,
  original_priority: true,
  queue_seq: true,
  pages_done: true,
  pages_total: true,
  created_at_ms: true,
  queued_at_ms: true,
  started_at_ms: true,
  finished_at_ms: true,
  updated_at_ms: true,
  not_before_ms: true,
  attempts: true,
  failure_reason: true,
  failure_message: true,
  estimated_memory_mb: true,
  actual_memory_mb: true,
  assigned_device: true,
  service_instance_id: true,
  resource_cleanup_completed: true,
  memory_reduction_factor: true,
  warnings_json: true,
  processing_ms: true,
  last_wait_ms: true,
  page_width_px: true,
  page_height_px: true,
};

export const TASK_COLUMNS = Object.keys(COLUMN_SET) as (keyof TaskRow)[];

/** A task with the bookkeeping the service keeps beside the public record. */
export interface StoredTask extends Task {
  /** Order of entry into the queue; FIFO within a priority follows it. */
  queueSeq: number;
  /** Running time over all attempts, in ms. */
  processingMs: number;
  /** Queue wait before the latest start, in ms. */
  lastWaitMs: number | null;
  /** Size of the largest page from the header, for estimates on another device. */
  pageWidthPx: number | null;
  pageHeightPx: number | null;
}

export function rowToTask(row: TaskRow): StoredTask {
  return {
    id: row.id,
    source: {
      path: row.source_path,
      name: row.source_name,
      format: row.source_format as DocumentFormat | null,
      sizeBytes: row.source_size_bytes,
    },
    options: JSON.parse(row.options_json) as TaskOptions,
    status: row.status as TaskStatus,
    priority: row.priority,
    originalPriority: row.original_priority,
    pagesDone: row.pages_done,
    pagesTotal: row.pages_total,
    createdAtMs: row.created_at_ms,
    queuedAtMs: row.queued_at_ms,
    startedAtMs: row.started_at_ms,
    finishedAtMs: row.finished_at_ms,
    updatedAtMs: row.updated_at_ms,
    notBeforeMs: row.not_before_ms,
    attempts: row.attempts,
    failureReason: row.failure_reason as ErrorCode | null,
    failureMessage: row.failure_message,
    estimatedMemoryMb: row.estimated_memory_mb,
    actualMemoryMb: row.actual_memory_mb,
    assignedDevice: row.assigned_device,
    serviceInstanceId: row.service_instance_id,
    resourceCleanupCompleted: row.resource_cleanup_completed === 1,
    memoryReductionFactor: row.memory_reduction_factor,
    warnings: JSON.parse(row.warnings_json) as TaskWarning[],
    queueSeq: row.queue_seq,
    processingMs: row.processing_ms,
    lastWaitMs: row.last_wait_ms,
    pageWidthPx: row.page_width_px,
    pageHeightPx: row.page_height_px,
  };
}

export function taskToRow(task: StoredTask): TaskRow {
  return {
    id: task.id,
    source_path: task.source.path,
    source_name: task.source.name,
    source_format: task.source.format,
    source_size_bytes: task.source.sizeBytes,
    options_json: JSON.stringify(task.options),
    status: task.status,
    priority: task.priority,
    original_priority: task.originalPriority,
    queue_seq: task.queueSeq,
    pages_done: task.pagesDone,
    pages_total: task.pagesTotal,
    created_at_ms: task.createdAtMs,
    queued_at_ms: task.queuedAtMs,
    started_at_ms: task.startedAtMs,
    finished_at_ms: task.finishedAtMs,
    updated_at_ms: task.updatedAtMs,
    not_before_ms: task.notBeforeMs,
    attempts: task.attempts,
    failure_reason: task.failureReason,
    failure_message: task.failureMessage,
    estimated_memory_mb: task.estimatedMemoryMb,
    actual_memory_mb: task.actualMemoryMb,
    assigned_device: task.assignedDevice,
    service_instance_id: task.serviceInstanceId,
    resource_cleanup_completed: task.resourceCleanupCompleted ? 1 : 0,
    memory_reduction_factor: task.memoryReductionFactor,
    warnings_json: JSON.stringify(task.warnings),
    processing_ms: task.processingMs,
    last_wait_ms: task.lastWaitMs,
    page_width_px: task.pageWidthPx,
    page_height_px: task.pageHeightPx,
  };
}

/** The public record, without the service's bookkeeping. */
export function publicTask(task: StoredTask): Task {
  const {
    queueSeq: _seq,
    processingMs: _processing,
    lastWaitMs: _wait,
    pageWidthPx: _width,
    pageHeightPx: _height,
    ...rest
  } = task;
  return rest;
}
